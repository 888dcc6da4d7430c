import { Button, Spinner, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, seg } from '../../api';
import { ErrorBar, SuccessBar } from '../../components/ErrorBar';
import { MemberPicker } from '../../components/MemberPicker';
import { Panel } from '../../components/Panel';
import { kindNames } from '../../format';
import { useAction, useLoad } from '../../hooks';
import type { Group, RecipientKind } from '../../types';

const memberKinds: Record<'distribution' | 'security', readonly RecipientKind[]> = {
  distribution: ['user', 'shared', 'distribution', 'security'],
  security: ['user', 'security'],
};

/** One group: its members (add, remove) and delete. */
export function GroupPanel(props: { address: string; onClose: () => void; onChanged: () => void; onRemoved: (message: string) => void }) {
  const group = useLoad(() => api.get<Group>(`/groups/${seg(props.address)}`), [props.address]);
  const [view, setView] = useState<'overview' | 'add' | 'delete'>('overview');
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();

  if (!group.data) {
    return <Panel title={props.address} onClose={props.onClose}>{group.error ? <ErrorBar error={group.error} /> : <Spinner label="Loading…" />}</Panel>;
  }
  const g = group.data;
  const base = `/groups/${seg(g.primaryAddress)}/members`;
  const changed = (message: string, updated: Group) => { group.set(updated); setNotice(message); setView('overview'); props.onChanged(); };

  if (view === 'add') {
    return (
      <Panel title="Add members" onClose={props.onClose} onBack={() => setView('overview')}>
        <MemberPicker
          kinds={memberKinds[g.kind === 'security' ? 'security' : 'distribution']}
          exclude={[g.primaryAddress, ...g.members.map((m) => m.address)]}
          onCancel={() => setView('overview')}
          onSave={async (addresses) => {
            const updated = await api.post<Group>(base, { members: addresses });
            changed(`${addresses.length === 1 ? '1 member' : `${addresses.length} members`} added.`, updated);
          }}
        />
      </Panel>
    );
  }

  if (view === 'delete') {
    const remove = async () => {
      const ok = await action.run(async () => { await api.delete(`/groups/${seg(g.primaryAddress)}`); return true; });
      if (ok) props.onRemoved(`${g.displayName} (${g.primaryAddress}) was deleted.`);
    };
    return (
      <Panel title="Delete group" onClose={props.onClose} onBack={() => setView('overview')}
        footer={<><Button appearance="primary" disabled={action.busy} onClick={() => { void remove(); }}>Delete</Button><Button onClick={() => setView('overview')}>Cancel</Button></>}>
        <div className="stack">
          <Text>Delete {g.displayName} ({g.primaryAddress})? Its members keep their own mailboxes; permissions given through the group end.</Text>
          <ErrorBar error={action.error} />
        </div>
      </Panel>
    );
  }

  const removeMember = async (address: string, name: string) => {
    const updated = await action.run(() => api.post<Group>(`${base}/remove`, { members: [address] }));
    if (updated) changed(`${name} was removed.`, updated);
  };

  return (
    <Panel label={g.displayName} title={<span className="panel-title"><span>{g.displayName}</span><Text size={200} className="muted">{g.primaryAddress}</Text></span>} onClose={props.onClose}>
      <div className="stack">
        <div className="panel-actions">
          <Button icon={<AddRegular />} onClick={() => { action.clear(); setView('add'); }}>Add members</Button>
          <Button icon={<DeleteRegular />} onClick={() => { action.clear(); setView('delete'); }}>Delete group</Button>
        </div>
        <Text>{kindNames[g.kind]}{g.kind === 'security' ? (g.mailEnabled ? ', mail-enabled' : ', not mail-enabled') : ''}</Text>
        <SuccessBar text={notice} />
        <ErrorBar error={action.error} />
        <Subtitle2 as="h3">Members ({g.members.length})</Subtitle2>
        {g.members.length === 0 ? <Text className="muted">No members yet.</Text> : (
          <Table aria-label="Group members" size="small">
            <TableHeader><TableRow><TableHeaderCell>Name</TableHeaderCell><TableHeaderCell className="wide-only">Type</TableHeaderCell><TableHeaderCell><span className="visually-hidden">Remove</span></TableHeaderCell></TableRow></TableHeader>
            <TableBody>
              {g.members.map((m) => (
                <TableRow key={m.address}>
                  <TableCell><span className="picker-label"><span>{m.displayName}</span><span className="muted break">{m.address}</span></span></TableCell>
                  <TableCell className="wide-only">{kindNames[m.kind]}</TableCell>
                  <TableCell><Button appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove ${m.displayName}`} disabled={action.busy} onClick={() => { void removeMember(m.address, m.displayName); }} /></TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </Panel>
  );
}
