import {
  Button, Field, Input, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2,
} from '@fluentui/react-components';
import { FilterRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, query } from '../../api';
import { ErrorBar, fieldError, formError } from '../../components/ErrorBar';
import { formatTime } from '../../format';
import { useLoad } from '../../hooks';
import type { AuditEntry } from '../../types';

interface Filters { target: string; actor: string; action: string; since: string; limit: string }
const empty: Filters = { target: '', actor: '', action: '', since: '', limit: '200' };

const sinceIso = (date: string): string | undefined => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);

/** Audit: who changed what, newest first, filtered by target, actor, action and date. */
export function AuditLog() {
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const entries = useLoad(() => api.get<AuditEntry[]>(`/audit${query({
    target: applied.target.trim(), actor: applied.actor.trim(), action: applied.action.trim(), since: sinceIso(applied.since), limit: applied.limit,
  })}`), [applied]);
  const set = (key: keyof Filters) => (_e: unknown, d: { value: string }) => setDraft((f) => ({ ...f, [key]: d.value }));
  const fields = ['target', 'actor', 'action', 'since', 'limit'];

  return (
    <div className="page">
      <Title2 as="h1">Audit</Title2>
      <Text className="muted">Every change an administrator made, and every Send As, Send on Behalf and sign-in, newest first.</Text>
      <form className="audit-filters" onSubmit={(e) => { e.preventDefault(); setApplied(draft); }}>
        <Field label="Target" {...fieldError(entries.error, 'target')}>
          <Input value={draft.target} onChange={set('target')} placeholder="info@contoso.com" />
        </Field>
        <Field label="Performed by" {...fieldError(entries.error, 'actor')}>
          <Input value={draft.actor} onChange={set('actor')} placeholder="admin@contoso.com" />
        </Field>
        <Field label="Activity" {...fieldError(entries.error, 'action')}>
          <Input value={draft.action} onChange={set('action')} placeholder="member, mailbox.set…" />
        </Field>
        <Field label="Since" {...fieldError(entries.error, 'since')}>
          <Input type="date" value={draft.since} onChange={set('since')} />
        </Field>
        <Field label="Show" {...fieldError(entries.error, 'limit')}>
          <Select value={draft.limit} onChange={set('limit')}>
            {['50', '200', '1000'].map((n) => <option key={n} value={n}>{n} entries</option>)}
          </Select>
        </Field>
        <div className="audit-buttons">
          <Button appearance="primary" type="submit" icon={<FilterRegular />}>Search</Button>
          <Button onClick={() => { setDraft(empty); setApplied(empty); }}>Clear</Button>
        </div>
      </form>
      <ErrorBar error={formError(entries.error, ...fields)} />
      {entries.loading ? <Spinner size="tiny" label="Loading…" /> : null}
      <div className="table-wrap">
        <Table aria-label="Audit log" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Date</TableHeaderCell>
              <TableHeaderCell>Performed by</TableHeaderCell>
              <TableHeaderCell>Activity</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
              <TableHeaderCell className="wide-only">Details</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(entries.data ?? []).map((e) => (
              <TableRow key={e.id}>
                <TableCell className="nowrap">{formatTime(e.at)}</TableCell>
                <TableCell className="break">{e.actor}</TableCell>
                <TableCell><code>{e.action}</code></TableCell>
                <TableCell className="break">{e.target ?? ''}</TableCell>
                <TableCell className="wide-only">
                  {e.before != null || e.after != null ? (
                    <details>
                      <summary>Show</summary>
                      <pre className="json">{JSON.stringify({ before: e.before ?? undefined, after: e.after ?? undefined }, null, 2)}</pre>
                    </details>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {entries.data && entries.data.length === 0 ? <p className="muted empty">No entries match.</p> : null}
      </div>
    </div>
  );
}
