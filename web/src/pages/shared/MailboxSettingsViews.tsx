import { Button, Checkbox, Field, Input, Select, Switch, Text, Textarea } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { api, seg } from '../../api';
import { ErrorBar, fieldError, formError } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { useAction } from '../../hooks';
import type { MailboxSettings, SharedMailbox } from '../../types';

export interface SettingsViewProps {
  mailbox: SharedMailbox;
  settings: MailboxSettings;
  onClose: () => void;
  onBack: () => void;
  onSaved: (message: string) => void;
}

/** A settings editor inside the mailbox's panel: Save keeps the panel open on an error, with everything typed. */
function useSettingsSave(props: SettingsViewProps) {
  const action = useAction();
  const save = async (patch: Partial<Record<keyof MailboxSettings, unknown>>, message: string) => {
    const result = await action.run(() => api.patch<MailboxSettings>(`/mailboxes/${seg(props.mailbox.primaryAddress)}/settings`, patch));
    if (result) props.onSaved(message);
  };
  return { action, save };
}

function EditorPanel(props: { title: string; view: SettingsViewProps; busy: boolean; onSave: () => void; children: ReactNode }) {
  return (
    <Panel title={props.title} onClose={props.view.onClose} onBack={props.view.onBack}
      footer={<><Button appearance="primary" disabled={props.busy} onClick={props.onSave}>{props.busy ? 'Saving…' : 'Save'}</Button><Button onClick={props.view.onBack}>Cancel</Button></>}>
      <form className="stack" onSubmit={(e) => { e.preventDefault(); props.onSave(); }}>
        <Text className="muted">{props.view.mailbox.displayName} ({props.view.mailbox.primaryAddress})</Text>
        {props.children}
        <button type="submit" hidden />
      </form>
    </Panel>
  );
}

/** Email forwarding › Edit: on or off, one address, keep a copy. */
export function ForwardingView(props: SettingsViewProps) {
  const current = props.settings.forwarding;
  const [enabled, setEnabled] = useState(current.enabled);
  const [address, setAddress] = useState(current.address ?? '');
  const [keepCopy, setKeepCopy] = useState(current.keepCopy);
  const { action, save } = useSettingsSave(props);
  const submit = () => void save(
    { forwarding: enabled ? { enabled, address: address.trim(), keepCopy } : { enabled, keepCopy } },
    enabled ? `Email is forwarded to ${address.trim()}.` : 'Email forwarding is off.',
  );
  return (
    <EditorPanel title="Email forwarding" view={props} busy={action.busy} onSave={submit}>
      <Switch label="Forward all email sent to this mailbox" checked={enabled} onChange={(_e, d) => { setEnabled(d.checked); action.clear(); }} />
      <ErrorBar error={formError(action.error, 'forwarding.address')} />
      <Field label="Forwarding email address" hint="One address. To forward to several, create a distribution list and forward to it." {...fieldError(action.error, 'forwarding.address')}>
        <Input type="email" value={address} disabled={!enabled} onChange={(_e, d) => { setAddress(d.value); action.clear(); }} />
      </Field>
      <Checkbox label="Keep a copy of forwarded email in this mailbox" checked={keepCopy} disabled={!enabled} onChange={(_e, d) => setKeepCopy(d.checked === true)} />
    </EditorPanel>
  );
}

const toLocalInput = (iso: string | null): string => {
  if (!iso) return '';
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string): string | null => (value ? new Date(value).toISOString() : null);

/** Automatic replies › Edit: on or off (or a time period), the inside reply, and optionally one for outside senders. */
export function AutoRepliesView(props: SettingsViewProps) {
  const current = props.settings.autoReply;
  const [on, setOn] = useState(current.state !== 'off');
  const [scheduled, setScheduled] = useState(current.state === 'scheduled');
  const [start, setStart] = useState(toLocalInput(current.start));
  const [end, setEnd] = useState(toLocalInput(current.end));
  const [internal, setInternal] = useState(current.internalMessage);
  const [outside, setOutside] = useState(current.externalMessage !== null);
  const [external, setExternal] = useState(current.externalMessage ?? '');
  const [audience, setAudience] = useState(current.externalAudience);
  const { action, save } = useSettingsSave(props);
  const state = !on ? 'off' : scheduled ? 'scheduled' : 'on';
  const submit = () => void save({
    autoReply: {
      state,
      internalMessage: internal,
      externalMessage: outside ? external : null,
      externalAudience: audience,
      start: state === 'scheduled' ? fromLocalInput(start) : null,
      end: state === 'scheduled' ? fromLocalInput(end) : null,
    },
  }, state === 'off' ? 'Automatic replies are off.' : 'Automatic replies are on.');
  const clear = () => action.clear();
  const fields = ['autoReply.internalMessage', 'autoReply.externalMessage', 'autoReply.start', 'autoReply.end'];
  return (
    <EditorPanel title="Automatic replies" view={props} busy={action.busy} onSave={submit}>
      <Switch label="Send automatic replies" checked={on} onChange={(_e, d) => { setOn(d.checked); clear(); }} />
      <ErrorBar error={formError(action.error, ...fields)} />
      <Checkbox label="Send replies only during a time period" checked={scheduled} disabled={!on} onChange={(_e, d) => { setScheduled(d.checked === true); clear(); }} />
      {on && scheduled ? (
        <div className="two-columns">
          <Field label="Start time" {...fieldError(action.error, 'autoReply.start')}>
            <Input type="datetime-local" value={start} onChange={(_e, d) => { setStart(d.value); clear(); }} />
          </Field>
          <Field label="End time" {...fieldError(action.error, 'autoReply.end')}>
            <Input type="datetime-local" value={end} onChange={(_e, d) => { setEnd(d.value); clear(); }} />
          </Field>
        </div>
      ) : null}
      <Field label="Reply to senders inside your organization" hint="Text only: no images or formatting." {...fieldError(action.error, 'autoReply.internalMessage')}>
        <Textarea resize="vertical" rows={4} value={internal} disabled={!on} onChange={(_e, d) => { setInternal(d.value); clear(); }} />
      </Field>
      <Checkbox label="Send automatic replies to senders outside your organization" checked={outside} disabled={!on} onChange={(_e, d) => { setOutside(d.checked === true); clear(); }} />
      {outside ? (
        <>
          <Field label="Send to">
            <Select value={audience} disabled={!on} onChange={(_e, d) => setAudience(d.value === 'known' ? 'known' : 'all')}>
              <option value="all">All senders outside your organization</option>
              <option value="known">Only senders this mailbox has written to</option>
            </Select>
          </Field>
          <Field label="Reply to senders outside your organization" {...fieldError(action.error, 'autoReply.externalMessage')}>
            <Textarea resize="vertical" rows={4} value={external} disabled={!on} onChange={(_e, d) => { setExternal(d.value); clear(); }} />
          </Field>
        </>
      ) : null}
    </EditorPanel>
  );
}

/** Sent items › Edit: whether mail sent as, or on behalf of, the mailbox is also kept in its Sent Items. */
export function SentItemsView(props: SettingsViewProps) {
  const [copySentAs, setCopySentAs] = useState(props.settings.sentItems.copySentAs);
  const [copySendOnBehalf, setCopySendOnBehalf] = useState(props.settings.sentItems.copySendOnBehalf);
  const { action, save } = useSettingsSave(props);
  const submit = () => void save({ sentItems: { copySentAs, copySendOnBehalf } }, 'Sent items settings saved.');
  return (
    <EditorPanel title="Sent items" view={props} busy={action.busy} onSave={submit}>
      <Text>A message a member sends from this mailbox is saved in the member's own Sent Items. It can also be saved in this mailbox's Sent Items, so everyone sees the answers.</Text>
      <ErrorBar error={action.error} />
      <Switch label="Copy items sent as this mailbox" checked={copySentAs} onChange={(_e, d) => setCopySentAs(d.checked)} />
      <Switch label="Copy items sent on behalf of this mailbox" checked={copySendOnBehalf} onChange={(_e, d) => setCopySendOnBehalf(d.checked)} />
    </EditorPanel>
  );
}
