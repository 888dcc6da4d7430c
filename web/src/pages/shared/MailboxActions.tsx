import { Button, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { api, seg } from '../../api';
import { ErrorBar, fieldError, formError } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { useAction } from '../../hooks';
import type { SharedMailbox } from '../../types';

interface ActionViewProps { mailbox: SharedMailbox; onClose: () => void; onBack: () => void }

/** Convert to a user mailbox: it needs a password, and its sign-in is unblocked; mail, addresses and grants stay. */
export function ConvertView({ mailbox, onClose, onBack, onConverted }: ActionViewProps & { onConverted: (message: string) => void }) {
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const action = useAction();
  const convert = async () => {
    const result = await action.run(() => api.post(`/mailboxes/${seg(mailbox.primaryAddress)}/convert`, { to: 'user', password }));
    if (result) onConverted(`${mailbox.primaryAddress} is now a user mailbox. Find it under Users › Active users.`);
  };
  return (
    <Panel title="Convert to user mailbox" onClose={onClose} onBack={onBack}
      footer={<><Button appearance="primary" disabled={action.busy || password === ''} onClick={() => { void convert(); }}>Convert</Button><Button onClick={onBack}>Cancel</Button></>}>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void convert(); }}>
        <Text>{mailbox.displayName} becomes a user mailbox: someone signs in to it with the password below. Its mail, addresses and members' permissions stay.</Text>
        <ErrorBar error={formError(action.error, 'password')} />
        <Field label="Password for the user account" required hint="8 to 256 characters." {...fieldError(action.error, 'password')}>
          <Input type={show ? 'text' : 'password'} autoComplete="new-password" value={password} onChange={(_e, d) => { setPassword(d.value); action.clear(); }} data-autofocus />
        </Field>
        <Checkbox label="Show password" checked={show} onChange={(_e, d) => setShow(d.checked === true)} />
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}

export function DeleteView({ mailbox, onClose, onBack, onDeleted }: ActionViewProps & { onDeleted: (message: string) => void }) {
  const action = useAction();
  const remove = async () => {
    const ok = await action.run(async () => { await api.delete(`/shared-mailboxes/${seg(mailbox.primaryAddress)}`); return true; });
    if (ok) onDeleted(`${mailbox.displayName} (${mailbox.primaryAddress}) was deleted.`);
  };
  return (
    <Panel title="Delete shared mailbox" onClose={onClose} onBack={onBack}
      footer={<><Button appearance="primary" disabled={action.busy} onClick={() => { void remove(); }}>Delete</Button><Button onClick={onBack}>Cancel</Button></>}>
      <div className="stack">
        <Text>Delete {mailbox.displayName} ({mailbox.primaryAddress}), its mail and its calendar? Members lose access at once. This can't be undone.</Text>
        <ErrorBar error={action.error} />
      </div>
    </Panel>
  );
}
