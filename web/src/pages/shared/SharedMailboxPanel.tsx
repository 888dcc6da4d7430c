import { Button, Link, Spinner, Subtitle2, Switch, Text } from '@fluentui/react-components';
import { ArrowSwapRegular, DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { api, seg } from '../../api';
import { ErrorBar, SuccessBar } from '../../components/ErrorBar';
import { Panel } from '../../components/Panel';
import { StorageBar } from '../../components/StorageBar';
import { useAction, useLoad } from '../../hooks';
import { rightNames, type MailboxSettings, type Permission, type SharedMailbox } from '../../types';
import { ConvertView, DeleteView } from './MailboxActions';
import { AutoRepliesView, ForwardingView, SentItemsView } from './MailboxSettingsViews';
import { MembersView } from './MembersView';

type View = 'overview' | 'members' | 'forwarding' | 'autoReplies' | 'sentItems' | 'convert' | 'delete';

interface Loaded { mailbox: SharedMailbox; settings: MailboxSettings; permissions: Permission[] }

async function loadMailbox(address: string): Promise<Loaded> {
  const [mailbox, settings, permissions] = await Promise.all([
    api.get<SharedMailbox>(`/shared-mailboxes/${seg(address)}`),
    api.get<MailboxSettings>(`/mailboxes/${seg(address)}/settings`),
    api.get<Permission[]>(`/mailboxes/${seg(address)}/permissions`),
  ]);
  return { mailbox, settings, permissions };
}

/** One shared mailbox's flyout: members, forwarding, automatic replies, sent items, storage and the rest. */
export function SharedMailboxPanel(props: { address: string; onClose: () => void; onChanged: () => void; onRemoved: (message: string) => void }) {
  const loaded = useLoad(() => loadMailbox(props.address), [props.address]);
  const [view, setView] = useState<View>('overview');
  const [notice, setNotice] = useState<string | null>(null);
  const hide = useAction();
  const [hidePending, setHidePending] = useState<boolean | null>(null);

  if (!loaded.data) {
    return (
      <Panel title={props.address} onClose={props.onClose}>
        {loaded.error ? <ErrorBar error={loaded.error} /> : <Spinner label="Loading…" />}
      </Panel>
    );
  }
  const { mailbox, settings, permissions } = loaded.data;
  const back = () => setView('overview');
  const saved = (message: string) => {
    setNotice(message);
    setView('overview');
    loaded.reload();
    props.onChanged();
  };
  const sub = { mailbox, settings, onClose: props.onClose, onBack: back, onSaved: saved };

  if (view === 'members') return <MembersView {...sub} permissions={permissions} onChanged={() => { loaded.reload(); props.onChanged(); }} />;
  if (view === 'forwarding') return <ForwardingView {...sub} />;
  if (view === 'autoReplies') return <AutoRepliesView {...sub} />;
  if (view === 'sentItems') return <SentItemsView {...sub} />;
  if (view === 'convert') return <ConvertView {...sub} onConverted={props.onRemoved} />;
  if (view === 'delete') return <DeleteView {...sub} onDeleted={props.onRemoved} />;

  const setHidden = async (hidden: boolean) => {
    setHidePending(hidden);
    const result = await hide.run(() => api.patch<MailboxSettings>(`/mailboxes/${seg(mailbox.primaryAddress)}/settings`, { hiddenFromAddressList: hidden }));
    if (result) {
      loaded.set({ ...loaded.data!, settings: result });
      saved(hidden ? 'The mailbox is hidden from the global address list.' : 'The mailbox is shown in the global address list.');
    }
    setHidePending(null);
  };

  const forwarding = settings.forwarding.enabled
    ? `Forwarding to ${settings.forwarding.address ?? ''}${settings.forwarding.keepCopy ? ', keeping a copy' : ', without keeping a copy'}`
    : 'Off';
  const autoReplies = settings.autoReply.state === 'off' ? 'Off'
    : settings.autoReply.state === 'scheduled' ? 'Scheduled'
      : settings.autoReply.externalMessage ? 'On, inside and outside the organization' : 'On, inside the organization';
  const sentItems = [
    `Sent as this mailbox: ${settings.sentItems.copySentAs ? 'copied here' : 'not copied'}`,
    `Sent on behalf of this mailbox: ${settings.sentItems.copySendOnBehalf ? 'copied here' : 'not copied'}`,
  ];

  return (
    <Panel label={mailbox.displayName} title={<span className="panel-title"><span>{mailbox.displayName}</span><Text size={200} className="muted">{mailbox.primaryAddress}</Text></span>} onClose={props.onClose}>
      <div className="stack">
        <div className="panel-actions">
          <Button icon={<ArrowSwapRegular />} onClick={() => setView('convert')}>Convert to user mailbox</Button>
          <Button icon={<DeleteRegular />} onClick={() => setView('delete')}>Delete mailbox</Button>
        </div>
        <SuccessBar text={notice} />
        <section className="section" aria-labelledby="members-heading">
          <div className="section-head"><Subtitle2 as="h3" id="members-heading">Members</Subtitle2><Link as="button" onClick={() => setView('members')} aria-label="Edit members">Edit</Link></div>
          {permissions.length === 0 ? <Text className="muted">No members yet.</Text> : (
            <ul className="compact-list">
              {permissions.map((p) => <li key={p.trustee}>{p.trusteeName} <span className="muted">({p.rights.map((r) => rightNames[r]).join(', ')})</span></li>)}
            </ul>
          )}
        </section>
        <section className="section" aria-labelledby="forwarding-heading">
          <div className="section-head"><Subtitle2 as="h3" id="forwarding-heading">Email forwarding</Subtitle2><Link as="button" onClick={() => setView('forwarding')} aria-label="Edit email forwarding">Edit</Link></div>
          <Text>{forwarding}</Text>
        </section>
        <section className="section" aria-labelledby="auto-replies-heading">
          <div className="section-head"><Subtitle2 as="h3" id="auto-replies-heading">Automatic replies</Subtitle2><Link as="button" onClick={() => setView('autoReplies')} aria-label="Edit automatic replies">Edit</Link></div>
          <Text>{autoReplies}</Text>
        </section>
        <section className="section" aria-labelledby="sent-items-heading">
          <div className="section-head"><Subtitle2 as="h3" id="sent-items-heading">Sent items</Subtitle2><Link as="button" onClick={() => setView('sentItems')} aria-label="Edit sent items">Edit</Link></div>
          {sentItems.map((line) => <Text key={line} block>{line}</Text>)}
        </section>
        <section className="section" aria-label="Mailbox storage">
          <StorageBar usedBytes={mailbox.storageUsedBytes} quota={settings.quota} />
        </section>
        <section className="section" aria-label="Global address list">
          <Switch
            label="Hide from global address list"
            checked={hidePending ?? settings.hiddenFromAddressList}
            disabled={hide.busy}
            onChange={(_e, d) => { void setHidden(d.checked); }}
          />
          <ErrorBar error={hide.error} />
        </section>
      </div>
    </Panel>
  );
}
