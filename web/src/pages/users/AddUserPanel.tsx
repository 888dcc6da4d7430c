import { Button, Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { AddressField, useDomains } from '../../components/AddressField';
import { ErrorBar, fieldError, formError, SuccessBar } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { useAction } from '../../hooks';
import { roleNames, type Account, type Principal, type Role } from '../../types';

/** "Add a user": name, username at an accepted domain, password, and optionally an admin role. */
export function AddUserPanel({ principal, onClose, onAdded }: { principal: Principal; onClose: () => void; onAdded: (account: Account) => void }) {
  const domains = useDomains();
  const [displayName, setDisplayName] = useState('');
  const [local, setLocal] = useState('');
  const [domain, setDomain] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [roles, setRoles] = useState<Role[]>([]);
  const [added, setAdded] = useState<Account | null>(null);
  const action = useAction();
  const globalAdmin = principal.roles.includes('global-admin');

  useEffect(() => {
    if (domain === '' && domains.data?.[0]) setDomain(domains.data[0].name);
  }, [domains.data, domain]);

  const add = async () => {
    const account = await action.run(() => api.post<Account>('/users', { address: `${local.trim()}@${domain}`, displayName: displayName.trim(), password, ...(roles.length > 0 ? { roles } : {}) }));
    if (!account) return;
    setAdded(account);
    onAdded(account);
  };
  const again = () => {
    setAdded(null);
    setDisplayName('');
    setLocal('');
    setPassword('');
    setRoles([]);
  };

  if (added) {
    return (
      <Panel title="Add a user" onClose={onClose} footer={<><Button appearance="primary" onClick={onClose}>Close</Button><Button onClick={again}>Add another user</Button></>}>
        <SuccessBar text={`${added.displayName} was added. They can sign in as ${added.primaryAddress}.`} />
      </Panel>
    );
  }

  return (
    <Panel
      title="Add a user"
      onClose={onClose}
      footer={<>
        <Button appearance="primary" disabled={action.busy || displayName.trim() === '' || local.trim() === '' || password === ''} onClick={() => { void add(); }}>{action.busy ? 'Adding…' : 'Add'}</Button>
        <Button onClick={onClose}>Cancel</Button>
      </>}
    >
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <ErrorBar error={formError(action.error, 'name', 'displayName', 'address', 'password', 'role')} />
        <ErrorBar error={domains.error} />
        <Field label="Display name" required {...fieldError(action.error, 'name', 'displayName')}>
          <Input value={displayName} onChange={(_e, d) => setDisplayName(d.value)} data-autofocus />
        </Field>
        <AddressField label="Username" local={local} domain={domain} domains={domains.data ?? []} onLocalChange={setLocal} onDomainChange={setDomain} validation={fieldError(action.error, 'address')} />
        <Field label="Password" required hint="8 to 256 characters." {...fieldError(action.error, 'password')}>
          <Input type={showPassword ? 'text' : 'password'} autoComplete="new-password" value={password} onChange={(_e, d) => setPassword(d.value)} />
        </Field>
        <Checkbox label="Show password" checked={showPassword} onChange={(_e, d) => setShowPassword(d.checked === true)} />
        <fieldset className="plain-fieldset">
          <legend>Roles</legend>
          {!globalAdmin ? <Text className="muted">Only a Global Administrator can give admin roles.</Text> : null}
          {(Object.keys(roleNames) as Role[]).map((role) => (
            <Checkbox key={role} label={roleNames[role]} disabled={!globalAdmin} checked={roles.includes(role)}
              onChange={(_e, d) => setRoles((r) => d.checked === true ? [...r, role] : r.filter((x) => x !== role))} />
          ))}
          {fieldError(action.error, 'role').validationMessage ? <Text role="alert" className="error-text">{action.error?.problem.detail}</Text> : null}
        </fieldset>
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}
