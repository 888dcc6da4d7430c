import {
  Badge, Link, SearchBox, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title2, Toolbar, ToolbarButton,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, query } from '../../api';
import { ErrorBar, SuccessBar } from '../../components/ErrorBar';
import { formatBytes } from '../../format';
import { useDebounced, useLoad } from '../../hooks';
import type { SharedMailbox } from '../../types';
import { AddSharedMailboxPanel } from './AddSharedMailboxPanel';
import { SharedMailboxPanel } from './SharedMailboxPanel';

/** Teams & groups › Shared mailboxes: the list, "+ Add a shared mailbox", and each mailbox's panel. */
export function SharedMailboxes() {
  const [search, setSearch] = useState('');
  const searched = useDebounced(search.trim(), 250);
  const mailboxes = useLoad(() => api.get<SharedMailbox[]>(`/shared-mailboxes${query({ search: searched })}`), [searched]);
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="page">
      <Title2 as="h1">Shared mailboxes</Title2>
      <Toolbar aria-label="Shared mailbox actions" className="command-bar">
        <ToolbarButton icon={<AddRegular />} onClick={() => setAdding(true)}>Add a shared mailbox</ToolbarButton>
        <ToolbarButton icon={<ArrowClockwiseRegular />} onClick={mailboxes.reload}>Refresh</ToolbarButton>
      </Toolbar>
      <div className="filters">
        <SearchBox placeholder="Search shared mailboxes" aria-label="Search shared mailboxes" value={search} onChange={(_e, d) => setSearch(d.value)} />
      </div>
      <SuccessBar text={notice} />
      <ErrorBar error={mailboxes.error} />
      {mailboxes.loading && !mailboxes.data ? <Spinner label="Loading shared mailboxes…" /> : null}
      <div className="table-wrap">
        <Table aria-label="Shared mailboxes" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell className="wide-only">Email address</TableHeaderCell>
              <TableHeaderCell>Members</TableHeaderCell>
              <TableHeaderCell>Storage used</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(mailboxes.data ?? []).map((m) => (
              <TableRow key={m.id}>
                <TableCell>
                  <Link as="button" onClick={() => setOpen(m.primaryAddress)}>{m.displayName}</Link>
                  {m.hiddenFromAddressList ? <Badge appearance="outline" size="small" className="inline-badge">Hidden</Badge> : null}
                  <span className="phone-only muted break">{m.primaryAddress}</span>
                </TableCell>
                <TableCell className="break wide-only">{m.primaryAddress}</TableCell>
                <TableCell>{m.memberCount}</TableCell>
                <TableCell className="nowrap">{formatBytes(m.storageUsedBytes)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {mailboxes.data && mailboxes.data.length === 0 ? <p className="muted empty">{searched ? 'No shared mailboxes match.' : 'There are no shared mailboxes yet.'}</p> : null}
      </div>
      {adding ? (
        <AddSharedMailboxPanel
          onClose={() => { setAdding(false); mailboxes.reload(); }}
          onCreated={(m) => { setNotice(`${m.displayName} (${m.primaryAddress}) was created.`); mailboxes.reload(); }}
        />
      ) : null}
      {open ? (
        <SharedMailboxPanel
          address={open}
          onClose={() => { setOpen(null); mailboxes.reload(); }}
          onChanged={mailboxes.reload}
          onRemoved={(message) => { setOpen(null); setNotice(message); mailboxes.reload(); }}
        />
      ) : null}
    </div>
  );
}
