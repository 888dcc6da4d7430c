import { Button, Field, Input, Link, Subtitle2, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { api, asApiError, query, seg } from '../../api';
import { AddressField, useDomains } from '../../components/AddressField';
import { ErrorBar, fieldError, formError, SuccessBar } from '../../components/ErrorBar';
import { MemberPicker } from '../../components/MemberPicker';
import { Panel } from '../../components/Panel';
import { splitAddress } from '../../format';
import { useAction, useDebounced } from '../../hooks';
import type { Permission, SharedMailbox } from '../../types';

type Step = 'details' | 'created' | 'members' | 'saved';

/**
 * The guide's wizard: a name → the suggested address (editable, with a domain drop-down) → Add →
 * "Next steps: Add members to this mailbox" → check boxes → Save → Close.
 */
export function AddSharedMailboxPanel({ onClose, onCreated }: { onClose: () => void; onCreated: (mailbox: SharedMailbox) => void }) {
  const domains = useDomains();
  const [step, setStep] = useState<Step>('details');
  const [name, setName] = useState('');
  const [local, setLocal] = useState('');
  const [domain, setDomain] = useState('');
  const [edited, setEdited] = useState(false);
  const [suggestionNote, setSuggestionNote] = useState<string | null>(null);
  const [created, setCreated] = useState<SharedMailbox | null>(null);
  const [members, setMembers] = useState<Permission[]>([]);
  const action = useAction();
  const debouncedName = useDebounced(name.trim(), 200);
  const suggestion = useRef(0);

  useEffect(() => {
    if (domain === '' && domains.data?.[0]) setDomain(domains.data[0].name);
  }, [domains.data, domain]);

  // The address follows the name until the administrator edits it.
  useEffect(() => {
    if (edited) return;
    const run = ++suggestion.current;
    if (debouncedName === '') { setLocal(''); setSuggestionNote(null); return; }
    api.get<{ address: string }>(`/shared-mailboxes/suggest-address${query({ name: debouncedName })}`).then(
      (res) => { if (run === suggestion.current) { setLocal(splitAddress(res.address).local); setSuggestionNote(null); } },
      (err: unknown) => { if (run === suggestion.current) { setLocal(''); setSuggestionNote(asApiError(err).problem.detail); } },
    );
  }, [debouncedName, edited]);

  const add = async () => {
    const mailbox = await action.run(() => api.post<SharedMailbox>('/shared-mailboxes', { displayName: name.trim(), address: `${local.trim()}@${domain}` }));
    if (!mailbox) return;
    setCreated(mailbox);
    setStep('created');
    onCreated(mailbox);
  };

  if (created && step === 'members') {
    return (
      <Panel title="Add members" onClose={onClose} onBack={() => setStep('created')}>
        <Text>Members can read the mail of {created.primaryAddress}, answer as it, and see it in their mail app.</Text>
        <MemberPicker
          kinds={['user', 'security']}
          exclude={[created.primaryAddress, ...members.map((m) => m.trustee)]}
          onCancel={() => setStep('created')}
          onSave={async (addresses) => {
            setMembers(await api.post<Permission[]>(`/shared-mailboxes/${seg(created.primaryAddress)}/members`, { members: addresses }));
            setStep('saved');
          }}
        />
      </Panel>
    );
  }

  if (created) {
    return (
      <Panel title={created.displayName} onClose={onClose} footer={<Button appearance="primary" onClick={onClose}>Close</Button>}>
        <div className="stack">
          <SuccessBar text={step === 'saved' ? `Members saved for ${created.primaryAddress}.` : `${created.displayName} was created as ${created.primaryAddress}. Its sign-in is blocked: members use their own accounts.`} />
          {members.length > 0 ? (
            <>
              <Subtitle2 as="h3">Members</Subtitle2>
              <ul className="compact-list">{members.map((m) => <li key={m.trustee}>{m.trusteeName} ({m.trustee})</li>)}</ul>
            </>
          ) : null}
          <Subtitle2 as="h3">Next steps</Subtitle2>
          <Link as="button" onClick={() => setStep('members')}>Add members to this mailbox</Link>
        </div>
      </Panel>
    );
  }

  return (
    <Panel
      title="Add a shared mailbox"
      onClose={onClose}
      footer={<>
        <Button appearance="primary" disabled={action.busy || name.trim() === '' || local.trim() === '' || domain === ''} onClick={() => { void add(); }}>
          {action.busy ? 'Adding…' : 'Add'}
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </>}
    >
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <Text>A shared mailbox lets a group of people read and answer the mail sent to one address, such as info@ or sales@.</Text>
        <ErrorBar error={formError(action.error, 'name', 'displayName', 'address', 'domain')} />
        <ErrorBar error={domains.error} />
        <Field label="Name" required {...fieldError(action.error, 'name', 'displayName')}>
          <Input value={name} onChange={(_e, d) => { setName(d.value); action.clear(); }} data-autofocus />
        </Field>
        <AddressField
          label="Email"
          local={local}
          domain={domain}
          domains={domains.data ?? []}
          onLocalChange={(v) => { setLocal(v); setEdited(v !== ''); action.clear(); }}
          onDomainChange={(v) => { setDomain(v); action.clear(); }}
          validation={fieldError(action.error, 'address', 'domain')}
          {...(suggestionNote ? { hint: suggestionNote } : {})}
        />
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}
