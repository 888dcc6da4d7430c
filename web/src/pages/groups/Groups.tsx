import {
  Button, Checkbox, Field, Input, Link, Radio, RadioGroup, SearchBox, Spinner, Table, TableBody, TableCell, TableHeader,
  TableHeaderCell, TableRow, Title2, Toolbar, ToolbarButton,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { api, query } from '../../api';
import { AddressField, useDomains } from '../../components/AddressField';
import { ErrorBar, fieldError, formError, SuccessBar } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { kindNames } from '../../format';
import { useAction, useDebounced, useLoad } from '../../hooks';
import type { Group } from '../../types';
import { GroupPanel } from './GroupPanel';

/** Teams & groups › Active teams & groups: distribution lists and security groups. */
export function Groups() {
  const [search, setSearch] = useState('');
  const searched = useDebounced(search.trim(), 250);
  const groups = useLoad(() => api.get<Group[]>(`/groups${query({ search: searched })}`), [searched]);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="page">
      <Title2 as="h1">Active teams &amp; groups</Title2>
      <Toolbar aria-label="Group actions" className="command-bar">
        <ToolbarButton icon={<AddRegular />} onClick={() => setAdding(true)}>Add a group</ToolbarButton>
        <ToolbarButton icon={<ArrowClockwiseRegular />} onClick={groups.reload}>Refresh</ToolbarButton>
      </Toolbar>
      <div className="filters">
        <SearchBox placeholder="Search groups" aria-label="Search groups" value={search} onChange={(_e, d) => setSearch(d.value)} />
      </div>
      <SuccessBar text={notice} />
      <ErrorBar error={groups.error} />
      {groups.loading && !groups.data ? <Spinner label="Loading groups…" /> : null}
      <div className="table-wrap">
        <Table aria-label="Groups" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell className="wide-only">Email</TableHeaderCell>
              <TableHeaderCell>Group type</TableHeaderCell>
              <TableHeaderCell className="wide-only">Members</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(groups.data ?? []).map((g) => (
              <TableRow key={g.id}>
                <TableCell>
                  <Link as="button" onClick={() => setOpen(g.primaryAddress)}>{g.displayName}</Link>
                  <span className="phone-only muted break">{g.primaryAddress}</span>
                </TableCell>
                <TableCell className="break wide-only">{g.mailEnabled ? g.primaryAddress : <span className="muted">Not mail-enabled</span>}</TableCell>
                <TableCell>{kindNames[g.kind]}</TableCell>
                <TableCell className="wide-only">{g.members.length}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {groups.data && groups.data.length === 0 ? <p className="muted empty">{searched ? 'No groups match.' : 'There are no groups yet.'}</p> : null}
      </div>
      {adding ? <AddGroupPanel onClose={() => setAdding(false)} onAdded={(g) => { setAdding(false); setNotice(`${g.displayName} (${g.primaryAddress}) was created.`); groups.reload(); }} /> : null}
      {open ? (
        <GroupPanel address={open} onClose={() => { setOpen(null); groups.reload(); }} onChanged={groups.reload}
          onRemoved={(message) => { setOpen(null); setNotice(message); groups.reload(); }} />
      ) : null}
    </div>
  );
}

function AddGroupPanel({ onClose, onAdded }: { onClose: () => void; onAdded: (group: Group) => void }) {
  const domains = useDomains();
  const [type, setType] = useState<'distribution' | 'security'>('distribution');
  const [name, setName] = useState('');
  const [local, setLocal] = useState('');
  const [domain, setDomain] = useState('');
  const [mailEnabled, setMailEnabled] = useState(true);
  const action = useAction();
  useEffect(() => {
    if (domain === '' && domains.data?.[0]) setDomain(domains.data[0].name);
  }, [domains.data, domain]);

  const add = async () => {
    const group = await action.run(() => api.post<Group>('/groups', {
      address: `${local.trim()}@${domain}`, displayName: name.trim(), type, ...(type === 'security' ? { mailEnabled } : {}),
    }));
    if (group) onAdded(group);
  };
  return (
    <Panel title="Add a group" onClose={onClose}
      footer={<><Button appearance="primary" disabled={action.busy || name.trim() === '' || local.trim() === ''} onClick={() => { void add(); }}>Add</Button><Button onClick={onClose}>Cancel</Button></>}>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <ErrorBar error={formError(action.error, 'name', 'displayName', 'address', 'type', 'mailEnabled')} />
        <Field label="Group type" {...fieldError(action.error, 'type')}>
          <RadioGroup value={type} onChange={(_e, d) => setType(d.value === 'security' ? 'security' : 'distribution')}>
            <Radio value="distribution" label="Distribution list: send mail to everyone in it at one address" />
            <Radio value="security" label="Security group: give its members mailbox permissions together" />
          </RadioGroup>
        </Field>
        <Field label="Name" required {...fieldError(action.error, 'name', 'displayName')}>
          <Input value={name} onChange={(_e, d) => { setName(d.value); action.clear(); }} data-autofocus />
        </Field>
        <AddressField label="Group email address" local={local} domain={domain} domains={domains.data ?? []}
          onLocalChange={(v) => { setLocal(v); action.clear(); }} onDomainChange={setDomain} validation={fieldError(action.error, 'address')} />
        {type === 'security' ? <Checkbox label="Mail-enabled: mail to the group's address reaches its members" checked={mailEnabled} onChange={(_e, d) => setMailEnabled(d.checked === true)} /> : null}
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}
