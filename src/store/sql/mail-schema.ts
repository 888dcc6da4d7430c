import type { ColumnType, Generated } from 'kysely';

/** Tables of the message store (migration 0002). Same portability rules as schema.ts. */
export interface BlobTable { hash: string; size: number; refcount: number; data: Buffer | null; created_at: string }

export interface FolderTable {
  id: string;
  mailbox_id: string;
  name: string;
  special_use: string | null;
  uidvalidity: number;
  uidnext: number;
  highest_modseq: number;
  created_at: string;
}

export interface MessageTable {
  id: string;
  folder_id: string;
  uid: number;
  modseq: number;
  blob_hash: string;
  size: number;
  internal_date: string;
  /** System flags and keywords, space-separated, as IMAP spells them. */
  flags: string;
  structure_json: string;
  subject: string;
  from_text: string;
  to_text: string;
  cc_text: string;
  date_sent: string | null;
  message_id: string | null;
  in_reply_to: string | null;
  thread_refs: string;
}

/**
 * Full text, once per blob (migration 0006; see store/mail/blob-text.ts). `id` exists on SQLite
 * only, as the rowid of the FTS5 table `blob_text_fts(subject, body)`; PostgreSQL keeps a
 * `search_vector` tsvector in this row instead.
 */
export interface BlobTextTable {
  id: Generated<number>;
  blob_hash: string;
  /** The blob's header block as latin1 text (one character per octet), for SEARCH HEADER (migration 0009); NULL for older blobs. */
  header: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecoverableMessageTable {
  id: string;
  mailbox_id: string;
  folder_name: string;
  blob_hash: string;
  size: number;
  internal_date: string;
  flags: string;
  subject: string;
  expunged_at: string;
  expunged_by: string;
  /** The UID the message had in its folder (migration 0005). */
  original_uid: number | null;
}

export type DeliverySource = 'mx' | 'submission' | 'system';

export interface DeliveryJobTable {
  id: string;
  blob_hash: string;
  mail_from: string;
  recipients_json: string;
  source: DeliverySource;
  submitter_id: string | null;
  /** Submission sent as or on behalf of this mailbox, whose copy setting asks for a copy in its Sent Items (migration 0003). */
  sent_copy_mailbox_id: string | null;
  received_at: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
}

export interface OutboundQueueTable {
  id: string;
  blob_hash: string;
  mail_from: string;
  recipient: string;
  attempts: number;
  next_attempt_at: string;
  expires_at: string;
  last_error: string | null;
  created_at: string;
  /** Lease of the worker sending it now (migration 0004); null when nobody is. */
  locked_until: string | null;
}

export interface MailboxUsageTable { mailbox_id: string; bytes: number; messages: number; warned: number }
export interface AutoReplyLogTable { mailbox_id: string; sender_key: string; sent_at: string }
export interface KnownSenderTable { mailbox_id: string; address_key: string }

/** RFC 4314 rights on one folder for a user, a security group or "anyone" (migration 0008). */
export interface FolderAclTable { folder_id: string; identifier: string; rights: string }

/** RFC 3501 §6.3.6 subscriptions by name; 0 records an explicit UNSUBSCRIBE of a default-subscribed name. */
export interface ImapSubscriptionTable { principal_id: string; name: string; subscribed: number }

/** \Seen per member, for mailboxes whose setting keeps it private (migration 0008). */
export interface PrivateSeenTable { folder_id: string; principal_id: string; uid: number }

export interface MailTables {
  blobs: BlobTable;
  folders: FolderTable;
  messages: MessageTable;
  blob_text: BlobTextTable;
  recoverable_messages: RecoverableMessageTable;
  delivery_jobs: DeliveryJobTable;
  outbound_queue: OutboundQueueTable;
  mailbox_usage: MailboxUsageTable;
  auto_reply_log: AutoReplyLogTable;
  known_senders: KnownSenderTable;
  folder_acl: FolderAclTable;
  imap_subscriptions: ImapSubscriptionTable;
  private_seen: PrivateSeenTable;
}
