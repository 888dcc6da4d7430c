import { Badge, Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { DeleteRegular, KeyResetRegular, PersonAvailableRegular, PersonProhibitedRegular, ShieldPersonRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, seg } from '../../api';
import { ErrorBar, fieldError, formError, SuccessBar } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { kindNames } from '../../format';
import { useAction } from '../../hooks';
import { roleNames, type Account, type Principal, type Role, type SignInChange } from '../../types';

type View = 'overview' | 'block' | 'password' | 'roles' | 'delete';

/** The properties panel of one account: sign-in status, password, roles, delete. */
export function UserPanel(props: {
  account: Account;
  principal: Principal;
  onClose: () => void;
  onChanged: (message: string) => void;
  onRemoved: (message: string) => void;
}) {
  const { account } = props;
  const [view, setView] = useState<View>('overview');
  const [notice, setNotice] = useState<string | null>(null);
  const back = () => setView('overview');
  const done = (message: string) => { setNotice(message); setView('overview'); props.onChanged(message); };
  const isShared = account.kind === 'shared';

  const title = (
    <span className="panel-title">
      <span>{account.displayName}</span>
      <Text size={200} className="muted">{account.primaryAddress}</Text>
    </span>
  );

  if (view === 'block') return <BlockView account={account} onClose={props.onClose} onBack={back} onDone={done} />;
  if (view === 'password') return <PasswordView account={account} onClose={props.onClose} onBack={back} onDone={done} />;
  if (view === 'roles') return <RolesView account={account} onClose={props.onClose} onBack={back} onDone={done} />;
  if (view === 'delete') return <DeleteView account={account} onClose={props.onClose} onBack={back} onRemoved={props.onRemoved} />;

  return (
    <Panel label={account.displayName} title={title} onClose={props.onClose}>
      <div className="stack">
        {account.signInBlocked ? <Badge appearance="filled" color="danger" className="status-badge">Sign-in blocked</Badge> : null}
        <div className="panel-actions">
          <Button icon={account.signInBlocked ? <PersonAvailableRegular /> : <PersonProhibitedRegular />} onClick={() => setView('block')}>
            {account.signInBlocked ? 'Unblock this user' : 'Block this user'}
          </Button>
          <Button icon={<KeyResetRegular />} onClick={() => setView('password')}>Reset password</Button>
          {!isShared ? <Button icon={<ShieldPersonRegular />} onClick={() => setView('roles')}>Manage roles</Button> : null}
          {!isShared ? <Button icon={<DeleteRegular />} onClick={() => setView('delete')}>Delete user</Button> : null}
        </div>
        <SuccessBar text={notice} />
        <dl className="properties">
          <dt>Type</dt><dd>{kindNames[account.kind]}</dd>
          <dt>Username and email</dt><dd>{account.primaryAddress}</dd>
          {account.proxyAddresses.length > 0 ? <><dt>Aliases</dt><dd>{account.proxyAddresses.join(', ')}</dd></> : null}
          <dt>Sign-in status</dt><dd>{account.signInBlocked ? 'Sign-in blocked' : 'Sign-in allowed'}</dd>
          <dt>Roles</dt><dd>{account.roles.length === 0 ? 'User (no admin center access)' : account.roles.map((r) => roleNames[r]).join(', ')}</dd>
        </dl>
        {isShared ? <Text className="muted">This account belongs to a shared mailbox. Manage its members and settings under Teams &amp; groups › Shared mailboxes.</Text> : null}
      </div>
    </Panel>
  );
}

interface SubViewProps { account: Account; onClose: () => void; onBack: () => void; onDone: (message: string) => void }

function BlockView({ account, onClose, onBack, onDone }: SubViewProps) {
  const [blocked, setBlocked] = useState(account.signInBlocked);
  const action = useAction();
  const save = async () => {
    if (blocked === account.signInBlocked) return onBack();
    const result = await action.run(() => api.post<SignInChange[]>(blocked ? '/users/block' : '/users/unblock', { addresses: [account.primaryAddress] }));
    if (result) onDone(blocked ? `Sign-in blocked for ${account.primaryAddress}.` : `Sign-in unblocked for ${account.primaryAddress}.`);
  };
  return (
    <Panel title={account.signInBlocked ? 'Unblock this user?' : 'Block this user?'} onClose={onClose} onBack={onBack}
      footer={<><Button appearance="primary" disabled={action.busy} onClick={() => { void save(); }}>Save changes</Button><Button onClick={onBack}>Cancel</Button></>}>
      <div className="stack">
        <Text>Blocking prevents anyone from signing in as this user: the admin center, mail apps and sending mail. Sessions already open end at once.</Text>
        <Checkbox label="Block this user from signing in" checked={blocked} onChange={(_e, d) => setBlocked(d.checked === true)} />
        {account.kind === 'shared' && !blocked ? (
          <MessageBar intent="warning"><MessageBarBody>{account.primaryAddress} is a shared mailbox. Its account should stay blocked: members reach the mailbox with their own credentials.</MessageBarBody></MessageBar>
        ) : null}
        <ErrorBar error={action.error} />
      </div>
    </Panel>
  );
}

function PasswordView({ account, onClose, onBack, onDone }: SubViewProps) {
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const action = useAction();
  const save = async () => {
    const result = await action.run(() => api.put<Account>(`/users/${seg(account.primaryAddress)}/password`, { password }));
    if (result) onDone(`The password of ${account.primaryAddress} was reset.${account.kind === 'shared' ? ' The account stays blocked.' : ''}`);
  };
  return (
    <Panel title="Reset password" onClose={onClose} onBack={onBack}
      footer={<><Button appearance="primary" disabled={action.busy || password === ''} onClick={() => { void save(); }}>Reset password</Button><Button onClick={onBack}>Cancel</Button></>}>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <ErrorBar error={formError(action.error, 'password')} />
        <Field label="New password" required hint="8 to 256 characters." {...fieldError(action.error, 'password')}>
          <Input type={show ? 'text' : 'password'} autoComplete="new-password" value={password} onChange={(_e, d) => setPassword(d.value)} data-autofocus />
        </Field>
        <Checkbox label="Show password" checked={show} onChange={(_e, d) => setShow(d.checked === true)} />
        {account.kind === 'shared' ? <Text className="muted">Resetting the password of a shared mailbox does not unblock its sign-in.</Text> : null}
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}

function RolesView({ account, onClose, onBack, onDone }: SubViewProps) {
  const [roles, setRoles] = useState<Role[]>(account.roles);
  const action = useAction();
  const save = async () => {
    const result = await action.run(() => api.put<Account>(`/users/${seg(account.primaryAddress)}/roles`, { roles }));
    if (result) onDone(`Roles of ${account.primaryAddress} saved.`);
  };
  return (
    <Panel title="Manage admin roles" onClose={onClose} onBack={onBack}
      footer={<><Button appearance="primary" disabled={action.busy} onClick={() => { void save(); }}>Save changes</Button><Button onClick={onBack}>Cancel</Button></>}>
      <div className="stack">
        <Text>Without a role the user has no access to the admin center.</Text>
        {(Object.keys(roleNames) as Role[]).map((role) => (
          <Checkbox key={role} label={roleNames[role]} checked={roles.includes(role)}
            onChange={(_e, d) => setRoles((r) => d.checked === true ? [...r, role] : r.filter((x) => x !== role))} />
        ))}
        <ErrorBar error={action.error} />
      </div>
    </Panel>
  );
}

function DeleteView({ account, onClose, onBack, onRemoved }: Omit<SubViewProps, 'onDone'> & { onRemoved: (message: string) => void }) {
  const action = useAction();
  const remove = async () => {
    const ok = await action.run(async () => { await api.delete(`/users/${seg(account.primaryAddress)}`); return true; });
    if (ok) onRemoved(`${account.displayName} (${account.primaryAddress}) was deleted.`);
  };
  return (
    <Panel title="Delete user" onClose={onClose} onBack={onBack}
      footer={<><Button appearance="primary" disabled={action.busy} onClick={() => { void remove(); }}>Delete user</Button><Button onClick={onBack}>Cancel</Button></>}>
      <div className="stack">
        <Text>Delete {account.displayName} ({account.primaryAddress}) and their mailbox? This can't be undone.</Text>
        <ErrorBar error={action.error} />
      </div>
    </Panel>
  );
}
