import type { Kysely } from 'kysely';
import type { AutoReplyState, Database, ExternalAudience, MailboxSettingsTable } from '../store/sql/schema.js';

type Db = Kysely<Database>;

const GB = 1024 ** 3;
/** Exchange Online's defaults for a 50 GB mailbox, shared mailboxes included. */
export const defaultQuotas = { warnBytes: 49 * GB, sendBytes: 49.5 * GB, receiveBytes: 50 * GB } as const;

export interface MailboxSettings {
  forwarding: { enabled: boolean; address: string | null; keepCopy: boolean };
  autoReply: {
    state: AutoReplyState;
    start: string | null;
    end: string | null;
    internalMessage: string;
    externalMessage: string | null;
    externalAudience: ExternalAudience;
  };
  sentItems: { copySentAs: boolean; copySendOnBehalf: boolean };
  quota: { warnBytes: number; sendBytes: number; receiveBytes: number };
  hiddenFromAddressList: boolean;
  /** \Seen kept per member instead of shared by everyone with access (IMAP). */
  privateSeen: boolean;
}

export async function createDefaultSettings(db: Db, recipientId: string): Promise<void> {
  await db.insertInto('mailbox_settings').values({
    recipient_id: recipientId,
    forward_to: null,
    forward_keep_copy: 1,
    auto_reply_state: 'off',
    auto_reply_start: null,
    auto_reply_end: null,
    auto_reply_internal: '',
    auto_reply_external: null,
    auto_reply_external_audience: 'all',
    copy_sent_as: 0,
    copy_send_on_behalf: 0,
    quota_warn_bytes: defaultQuotas.warnBytes,
    quota_send_bytes: defaultQuotas.sendBytes,
    quota_receive_bytes: defaultQuotas.receiveBytes,
    private_seen: 0,
  }).execute();
}

export async function getMailboxSettings(db: Db, recipientId: string): Promise<MailboxSettings> {
  const row = await db.selectFrom('mailbox_settings').selectAll().where('recipient_id', '=', recipientId).executeTakeFirstOrThrow();
  const recipient = await db.selectFrom('recipients').select('hidden').where('id', '=', recipientId).executeTakeFirstOrThrow();
  return toSettings(row, recipient.hidden === 1);
}

/** A settings row as MailboxSettings; `hidden` is the recipient's address-list flag. */
export function toSettings(row: MailboxSettingsTable, hidden: boolean): MailboxSettings {
  return {
    forwarding: { enabled: row.forward_to !== null, address: row.forward_to, keepCopy: row.forward_keep_copy === 1 },
    autoReply: {
      state: row.auto_reply_state,
      start: row.auto_reply_start,
      end: row.auto_reply_end,
      internalMessage: row.auto_reply_internal,
      externalMessage: row.auto_reply_external,
      externalAudience: row.auto_reply_external_audience,
    },
    sentItems: { copySentAs: row.copy_sent_as === 1, copySendOnBehalf: row.copy_send_on_behalf === 1 },
    quota: { warnBytes: row.quota_warn_bytes, sendBytes: row.quota_send_bytes, receiveBytes: row.quota_receive_bytes },
    hiddenFromAddressList: hidden,
    privateSeen: row.private_seen === 1,
  };
}

export async function saveMailboxSettings(db: Db, recipientId: string, s: MailboxSettings): Promise<void> {
  await db.updateTable('mailbox_settings').set({
    forward_to: s.forwarding.enabled ? s.forwarding.address : null,
    forward_keep_copy: s.forwarding.keepCopy ? 1 : 0,
    auto_reply_state: s.autoReply.state,
    auto_reply_start: s.autoReply.start,
    auto_reply_end: s.autoReply.end,
    auto_reply_internal: s.autoReply.internalMessage,
    auto_reply_external: s.autoReply.externalMessage,
    auto_reply_external_audience: s.autoReply.externalAudience,
    copy_sent_as: s.sentItems.copySentAs ? 1 : 0,
    copy_send_on_behalf: s.sentItems.copySendOnBehalf ? 1 : 0,
    quota_warn_bytes: s.quota.warnBytes,
    quota_send_bytes: s.quota.sendBytes,
    quota_receive_bytes: s.quota.receiveBytes,
    private_seen: s.privateSeen ? 1 : 0,
  }).where('recipient_id', '=', recipientId).execute();
  await db.updateTable('recipients').set({ hidden: s.hiddenFromAddressList ? 1 : 0 }).where('id', '=', recipientId).execute();
}
