import {
  Badge, Link, SearchBox, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
  TableSelectionCell, Title2, Toolbar, ToolbarButton,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, PersonAddRegular, PersonAvailableRegular, PersonProhibitedRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, query } from '../../api';
import { ErrorBar, SuccessBar } from '../../components/ErrorBar';
import { kindNames } from '../../format';
import { useDebounced, useLoad } from '../../hooks';
import { roleNames, type Account, type Principal } from '../../types';
import { AddUserPanel } from './AddUserPanel';
import { SignInDialog } from './SignInDialog';
import { UserPanel } from './UserPanel';

const filters = {
  all: { label: 'All users', keep: () => true },
  users: { label: 'User mailboxes', keep: (a: Account) => a.kind === 'user' },
  shared: { label: 'Shared mailbox accounts', keep: (a: Account) => a.kind === 'shared' },
  blocked: { label: 'Sign-in blocked', keep: (a: Account) => a.signInBlocked },
  allowed: { label: 'Sign-in allowed', keep: (a: Account) => !a.signInBlocked },
  admins: { label: 'Admins', keep: (a: Account) => a.roles.length > 0 },
} as const;
type Filter = keyof typeof filters;

/** Users › Active users: every account, shared mailbox accounts included (as in Microsoft's "All users"). */
export function ActiveUsers({ principal }: { principal: Principal }) {
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const searched = useDebounced(search.trim(), 250);
  const accounts = useLoad(() => api.get<Account[]>(`/users${query({ includeShared: true, search: searched })}`), [searched]);
  const [selected, setSelected] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [bulk, setBulk] = useState<'block' | 'unblock' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const rows = (accounts.data ?? []).filter(filters[filter].keep);
  const selectedRows = rows.filter((a) => selected.includes(a.primaryAddress));
  const allSelected = rows.length > 0 && selectedRows.length === rows.length;
  const toggle = (address: string) => setSelected((s) => s.includes(address) ? s.filter((a) => a !== address) : [...s, address]);
  const openAccount = (accounts.data ?? []).find((a) => a.primaryAddress === open);

  const changed = (message: string) => {
    setNotice(message);
    accounts.reload();
  };

  return (
    <div className="page">
      <Title2 as="h1">Active users</Title2>
      <Toolbar aria-label="Active users actions" className="command-bar">
        <ToolbarButton icon={<PersonAddRegular />} onClick={() => setAdding(true)}>Add a user</ToolbarButton>
        <ToolbarButton icon={<PersonProhibitedRegular />} disabled={selectedRows.length === 0} onClick={() => setBulk('block')}>Block sign-in</ToolbarButton>
        <ToolbarButton icon={<PersonAvailableRegular />} disabled={selectedRows.length === 0} onClick={() => setBulk('unblock')}>Unblock sign-in</ToolbarButton>
        <ToolbarButton icon={<ArrowClockwiseRegular />} onClick={accounts.reload}>Refresh</ToolbarButton>
      </Toolbar>
      <div className="filters">
        <SearchBox placeholder="Search active users list" aria-label="Search active users list" value={search} onChange={(_e, d) => setSearch(d.value)} />
        <Select aria-label="Filter" value={filter} onChange={(_e, d) => setFilter(d.value as Filter)}>
          {Object.entries(filters).map(([value, f]) => <option key={value} value={value}>{f.label}</option>)}
        </Select>
      </div>
      <SuccessBar text={notice} />
      <ErrorBar error={accounts.error} />
      {accounts.loading && !accounts.data ? <Spinner label="Loading users…" /> : null}
      <div className="table-wrap">
        <Table aria-label="Active users" size="small">
          <TableHeader>
            <TableRow>
              <TableSelectionCell
                type="checkbox"
                checked={allSelected ? true : selectedRows.length > 0 ? 'mixed' : false}
                onClick={() => setSelected(allSelected ? [] : rows.map((a) => a.primaryAddress))}
                checkboxIndicator={{ 'aria-label': 'Select all users' }}
              />
              <TableHeaderCell>Display name</TableHeaderCell>
              <TableHeaderCell className="wide-only">Username</TableHeaderCell>
              <TableHeaderCell className="wide-only">Type</TableHeaderCell>
              <TableHeaderCell className="wide-only">Roles</TableHeaderCell>
              <TableHeaderCell>Sign-in status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((a) => (
              <TableRow key={a.id} aria-selected={selected.includes(a.primaryAddress)}>
                <TableSelectionCell
                  checked={selected.includes(a.primaryAddress)}
                  onClick={() => toggle(a.primaryAddress)}
                  checkboxIndicator={{ 'aria-label': `Select ${a.displayName}` }}
                />
                <TableCell>
                  <Link as="button" onClick={() => setOpen(a.primaryAddress)}>{a.displayName}</Link>
                  <span className="phone-only muted break">{a.primaryAddress}</span>
                </TableCell>
                <TableCell className="break wide-only">{a.primaryAddress}</TableCell>
                <TableCell className="wide-only">{kindNames[a.kind]}</TableCell>
                <TableCell className="wide-only">{a.roles.map((r) => roleNames[r]).join(', ')}</TableCell>
                <TableCell>
                  {a.signInBlocked ? <Badge appearance="tint" color="danger">Sign-in blocked</Badge> : <Badge appearance="tint" color="success">Sign-in allowed</Badge>}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {accounts.data && rows.length === 0 ? <p className="muted empty">No users match.</p> : null}
      </div>
      {adding ? <AddUserPanel principal={principal} onClose={() => setAdding(false)} onAdded={(a) => changed(`${a.displayName} (${a.primaryAddress}) was added.`)} /> : null}
      {openAccount ? (
        <UserPanel
          account={openAccount}
          principal={principal}
          onClose={() => setOpen(null)}
          onChanged={changed}
          onRemoved={(message) => { setOpen(null); changed(message); }}
        />
      ) : null}
      {bulk ? (
        <SignInDialog
          block={bulk === 'block'}
          accounts={selectedRows}
          onCancel={() => setBulk(null)}
          onDone={(message) => { setBulk(null); setSelected([]); changed(message); }}
        />
      ) : null}
    </div>
  );
}

