import {
  Button, Checkbox, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, seg } from '../../api';
import { ErrorBar, SuccessBar } from '../../components/ErrorBar';
import { MemberPicker } from '../../components/MemberPicker';
import { Panel } from '../../components/Panel';
import { useAction } from '../../hooks';
import { rightNames, type MailboxRight, type Permission, type SharedMailbox } from '../../types';

const rights: MailboxRight[] = ['FullAccess', 'SendAs', 'SendOnBehalf'];

/**
 * Members and their permissions. "Add members" grants Read and manage (FullAccess, automapped) and
 * Send as, as Microsoft's admin center does; each permission can then be changed on its own.
 */
export function MembersView(props: {
  mailbox: SharedMailbox;
  permissions: Permission[];
  onClose: () => void;
  onBack: () => void;
  onChanged: () => void;
}) {
  const { mailbox } = props;
  const [permissions, setPermissions] = useState(props.permissions);
  const [picking, setPicking] = useState(false);
  const [automap, setAutomap] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const base = `/mailboxes/${seg(mailbox.primaryAddress)}/permissions`;

  const refresh = async () => {
    setPermissions(await api.get<Permission[]>(base));
    props.onChanged();
  };
  const change = async (description: string, request: () => Promise<unknown>): Promise<void> => {
    setNotice(null);
    const ok = await action.run(async () => { await request(); await refresh(); return true; });
    if (ok) setNotice(description);
  };
  // A check box shows the click at once; it settles on what the API answers (or goes back, with the error).
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const shown = (key: string, actual: boolean) => pending[key] ?? actual;
  const withPending = async (key: string, on: boolean, work: () => Promise<void>) => {
    setPending((current) => ({ ...current, [key]: on }));
    await work();
    setPending(({ [key]: _settled, ...rest }) => rest);
  };
  const toggleRight = (p: Permission, right: MailboxRight, on: boolean) => withPending(`${p.trustee}|${right}`, on, () => change(
    `${rightNames[right]} ${on ? 'given to' : 'removed from'} ${p.trusteeName}.`,
    () => api.post(on ? base : `${base}/remove`, { trustee: p.trustee, rights: [right], ...(on && right === 'FullAccess' ? { automap: true } : {}) }),
  ));
  const setAutomapOf = (p: Permission, on: boolean) => withPending(`${p.trustee}|automap`, on, () => change(
    `Automapping ${on ? 'on' : 'off'} for ${p.trusteeName}.`,
    () => api.post(base, { trustee: p.trustee, rights: ['FullAccess'], automap: on }),
  ));
  const remove = (p: Permission) => change(`${p.trusteeName} was removed.`, () => p.rights.includes('FullAccess')
    ? api.post(`/shared-mailboxes/${seg(mailbox.primaryAddress)}/members/remove`, { members: [p.trustee] })
    : api.post(`${base}/remove`, { trustee: p.trustee, rights: p.rights }));

  if (picking) {
    return (
      <Panel title="Add members" onClose={props.onClose} onBack={() => setPicking(false)}>
        <Checkbox label="Open the mailbox automatically in members' mail apps (automapping)" checked={automap} onChange={(_e, d) => setAutomap(d.checked === true)} />
        <MemberPicker
          kinds={['user', 'security']}
          exclude={[mailbox.primaryAddress, ...permissions.filter((p) => p.rights.includes('FullAccess')).map((p) => p.trustee)]}
          onCancel={() => setPicking(false)}
          onSave={async (addresses) => {
            await api.post(`/shared-mailboxes/${seg(mailbox.primaryAddress)}/members`, { members: addresses, automap });
            await refresh();
            setNotice(`${addresses.length === 1 ? '1 member' : `${addresses.length} members`} added.`);
            setPicking(false);
          }}
        />
      </Panel>
    );
  }

  return (
    <Panel title="Members" onClose={props.onClose} onBack={props.onBack} size="large">
      <div className="stack">
        <Text>People who can open {mailbox.primaryAddress} and what they may do with it.</Text>
        <div className="panel-actions">
          <Button icon={<AddRegular />} onClick={() => { setNotice(null); action.clear(); setPicking(true); }}>Add members</Button>
        </div>
        <SuccessBar text={notice} />
        <ErrorBar error={action.error} />
        {permissions.length === 0 ? <Text className="muted">No members yet.</Text> : (
          <div className="table-wrap">
            <Table aria-label="Members and permissions" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  {rights.map((r) => <TableHeaderCell key={r}>{rightNames[r]}</TableHeaderCell>)}
                  <TableHeaderCell>Automapping</TableHeaderCell>
                  <TableHeaderCell><span className="visually-hidden">Remove</span></TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {permissions.map((p) => (
                  <TableRow key={p.trustee}>
                    <TableCell><span className="picker-label"><span>{p.trusteeName}</span><span className="muted break">{p.trustee}</span></span></TableCell>
                    {rights.map((r) => (
                      <TableCell key={r}>
                        <Checkbox aria-label={`${rightNames[r]}: ${p.trusteeName}`} checked={shown(`${p.trustee}|${r}`, p.rights.includes(r))} disabled={action.busy}
                          onChange={(_e, d) => { void toggleRight(p, r, d.checked === true); }} />
                      </TableCell>
                    ))}
                    <TableCell>
                      <Checkbox aria-label={`Automapping: ${p.trusteeName}`} checked={shown(`${p.trustee}|automap`, p.automap)} disabled={action.busy || !p.rights.includes('FullAccess')}
                        onChange={(_e, d) => { void setAutomapOf(p, d.checked === true); }} />
                    </TableCell>
                    <TableCell>
                      <Button appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove ${p.trusteeName}`} disabled={action.busy} onClick={() => { void remove(p); }} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </div>
    </Panel>
  );
}
