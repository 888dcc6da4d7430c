import { Button, Checkbox, SearchBox, Spinner, Text } from '@fluentui/react-components';
import { useId, useMemo, useState } from 'react';
import { api } from '../api';
import { kindNames } from '../format';
import { useAction, useLoad } from '../hooks';
import type { Account, Group, RecipientKind } from '../types';
import { ErrorBar } from './ErrorBar';

interface Candidate { address: string; displayName: string; kind: RecipientKind }

async function loadCandidates(kinds: readonly RecipientKind[]): Promise<Candidate[]> {
  const wantAccounts = kinds.includes('user') || kinds.includes('shared');
  const wantGroups = kinds.includes('security') || kinds.includes('distribution');
  const [accounts, groups] = await Promise.all([
    wantAccounts ? api.get<Account[]>(`/users?includeShared=${kinds.includes('shared')}`) : Promise.resolve([]),
    wantGroups ? api.get<Group[]>('/groups') : Promise.resolve([]),
  ]);
  return [...accounts, ...groups]
    .filter((r) => kinds.includes(r.kind))
    .map((r) => ({ address: r.primaryAddress, displayName: r.displayName, kind: r.kind }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * "+ Add members": people (and groups) of the organization with check boxes and a search.
 * An address typed into the search that matches nobody can be picked too; the API then says
 * why it can't be added (an outside address, say), beside the list, and the selection stays.
 */
export function MemberPicker(props: {
  kinds: readonly RecipientKind[];
  exclude: readonly string[];
  onSave: (addresses: string[]) => Promise<unknown>;
  onCancel: () => void;
  saveLabel?: string;
  heading?: string;
}) {
  const candidates = useLoad(() => loadCandidates(props.kinds), [props.kinds.join(',')]);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const save = useAction();
  const listId = useId();
  const errorId = useId();

  const excluded = useMemo(() => new Set(props.exclude.map((a) => a.toLowerCase())), [props.exclude]);
  const term = search.trim().toLowerCase();
  const shown = (candidates.data ?? []).filter((c) => !excluded.has(c.address.toLowerCase())
    && (term === '' || c.displayName.toLowerCase().includes(term) || c.address.toLowerCase().includes(term)));
  const typed = term.includes('@') && !(candidates.data ?? []).some((c) => c.address.toLowerCase() === term) ? search.trim() : null;
  const extra = selected.filter((a) => !(candidates.data ?? []).some((c) => c.address.toLowerCase() === a.toLowerCase()));

  const toggle = (address: string, on: boolean) => {
    save.clear();
    setSelected((current) => on ? [...current, address] : current.filter((a) => a.toLowerCase() !== address.toLowerCase()));
  };
  const nameOf = (address: string) => (candidates.data ?? []).find((c) => c.address.toLowerCase() === address.toLowerCase())?.displayName ?? address;
  const isSelected = (address: string) => selected.some((a) => a.toLowerCase() === address.toLowerCase());

  return (
    <div className="stack picker">
      {props.heading ? <Text weight="semibold">{props.heading}</Text> : null}
      <SearchBox
        className="picker-search"
        data-autofocus
        placeholder="Search by name or email address"
        aria-label="Search members"
        aria-controls={listId}
        value={search}
        onChange={(_e, data) => setSearch(data.value)}
      />
      <ErrorBar error={save.error} id={errorId} />
      <ErrorBar error={candidates.error} />
      {candidates.loading && !candidates.data ? <Spinner size="tiny" label="Loading people…" /> : null}
      <div className="picker-list" id={listId} role="group" aria-label="People" {...(save.error ? { 'aria-describedby': errorId } : {})}>
        {[...extra.map((address) => ({ address, displayName: address, kind: 'user' as const, typed: true })), ...shown.map((c) => ({ ...c, typed: false }))]
          .map((c) => (
            <Checkbox
              key={c.address}
              checked={isSelected(c.address)}
              onChange={(_e, data) => toggle(c.address, data.checked === true)}
              label={<span className="picker-label"><span>{c.displayName}</span><span className="muted">{c.typed ? 'Typed address' : `${c.address} · ${kindNames[c.kind]}`}</span></span>}
            />
          ))}
        {typed && !isSelected(typed) ? (
          <Checkbox checked={false} onChange={() => toggle(typed, true)} label={<span className="picker-label"><span>Add “{typed}”</span><span className="muted">An address that isn't in the list</span></span>} />
        ) : null}
        {candidates.data && shown.length === 0 && !typed ? <Text className="muted">No one matches “{search}”.</Text> : null}
      </div>
      <Text className="muted" aria-live="polite">
        {selected.length === 0 ? 'Nobody selected' : `Selected (${selected.length}): ${selected.map(nameOf).join(', ')}`}
      </Text>
      <div className="actions">
        <Button appearance="primary" disabled={selected.length === 0 || save.busy} onClick={() => { void save.run(() => props.onSave(selected)); }}>
          {save.busy ? 'Saving…' : (props.saveLabel ?? 'Save')}
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </div>
    </div>
  );
}

