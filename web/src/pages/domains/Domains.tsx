import {
  Badge, Button, Checkbox, Field, Input, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2,
  Toolbar, ToolbarButton,
} from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, seg } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBar, fieldError, formError, SuccessBar } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { formatTime } from '../../format';
import { useAction, useLoad } from '../../hooks';
import type { Domain } from '../../types';

/** Settings › Domains: the organization's accepted domains; one is the default. */
export function Domains() {
  const domains = useLoad(() => api.get<Domain[]>('/domains'), []);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Domain | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const remove = useAction();

  const makeDefault = async (name: string) => {
    setNotice(null);
    const result = await action.run(() => api.post<Domain[]>(`/domains/${seg(name)}/default`));
    if (result) { setNotice(`${name} is now the default domain.`); domains.reload(); }
  };
  const confirmRemove = async () => {
    if (!removing) return;
    const ok = await remove.run(async () => { await api.delete(`/domains/${seg(removing.name)}`); return true; });
    if (ok) { setNotice(`${removing.name} was removed.`); setRemoving(null); domains.reload(); }
  };

  return (
    <div className="page">
      <Title2 as="h1">Domains</Title2>
      <Toolbar aria-label="Domain actions" className="command-bar">
        <ToolbarButton icon={<AddRegular />} onClick={() => setAdding(true)}>Add domain</ToolbarButton>
        <ToolbarButton icon={<ArrowClockwiseRegular />} onClick={domains.reload}>Refresh</ToolbarButton>
      </Toolbar>
      <Text className="muted">Mail is accepted for addresses in these domains. New shared mailboxes get an address in the default domain unless you choose another.</Text>
      <SuccessBar text={notice} />
      <ErrorBar error={action.error ?? domains.error} />
      {domains.loading && !domains.data ? <Spinner label="Loading domains…" /> : null}
      <div className="table-wrap">
        <Table aria-label="Domains" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Domain name</TableHeaderCell>
              <TableHeaderCell className="wide-only">Added</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(domains.data ?? []).map((d) => (
              <TableRow key={d.name}>
                <TableCell>{d.name} {d.isDefault ? <Badge appearance="tint" color="brand" className="inline-badge">Default</Badge> : null}</TableCell>
                <TableCell className="wide-only">{formatTime(d.createdAt)}</TableCell>
                <TableCell>
                  <div className="row-actions">
                    {!d.isDefault ? <Button size="small" disabled={action.busy} onClick={() => { void makeDefault(d.name); }}>Set as default</Button> : null}
                    {!d.isDefault ? <Button size="small" onClick={() => { remove.clear(); setRemoving(d); }}>Remove</Button> : null}
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {adding ? <AddDomainPanel onClose={() => setAdding(false)} onAdded={(d) => { setAdding(false); setNotice(`${d.name} was added.`); domains.reload(); }} /> : null}
      {removing ? (
        <ConfirmDialog title="Remove domain?" confirmLabel="Remove" busy={remove.busy} error={remove.error}
          onConfirm={() => { void confirmRemove(); }} onCancel={() => setRemoving(null)}>
          <Text>Mail to addresses in {removing.name} will no longer be accepted. A domain that addresses still use can't be removed.</Text>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function AddDomainPanel({ onClose, onAdded }: { onClose: () => void; onAdded: (domain: Domain) => void }) {
  const [name, setName] = useState('');
  const [makeDefault, setMakeDefault] = useState(false);
  const action = useAction();
  const add = async () => {
    const domain = await action.run(() => api.post<Domain>('/domains', { name: name.trim(), default: makeDefault }));
    if (domain) onAdded(domain);
  };
  return (
    <Panel title="Add a domain" onClose={onClose}
      footer={<><Button appearance="primary" disabled={action.busy || name.trim() === ''} onClick={() => { void add(); }}>Add</Button><Button onClick={onClose}>Cancel</Button></>}>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void add(); }}>
        <ErrorBar error={formError(action.error, 'domain', 'name')} />
        <Field label="Domain name" required hint="For example, contoso.com. Point its MX record at this server." {...fieldError(action.error, 'domain', 'name')}>
          <Input value={name} onChange={(_e, d) => { setName(d.value); action.clear(); }} spellCheck={false} data-autofocus />
        </Field>
        <Checkbox label="Make this the default domain" checked={makeDefault} onChange={(_e, d) => setMakeDefault(d.checked === true)} />
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}
