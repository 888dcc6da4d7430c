import type { Kysely } from 'kysely';
import type { MailboxSettings } from '../directory/mailbox-settings.js';
import type { Recipient } from '../directory/recipients.js';
import type { BlobStore, StagedBlob } from '../store/blob/blob-store.js';
import type { MailChange } from '../store/change-feed.js';
import type { IndexedMessage } from '../store/mail/message-writer.js';
import type { DatabaseEngine } from '../store/sql/database.js';
import type { DeliveryJobTable } from '../store/sql/mail-schema.js';
import type { Database } from '../store/sql/schema.js';
import type { MessageToAccept } from './accept-queue.js';

/** One delivery job being processed inside one transaction. */
export interface DeliveryContext {
  readonly tx: Kysely<Database>;
  readonly engine: DatabaseEngine;
  readonly blobs: BlobStore;
  readonly job: DeliveryJobTable;
  readonly raw: Buffer;
  readonly blob: StagedBlob;
  readonly indexed: IndexedMessage;
  readonly now: Date;
  /** What the job produces besides stored messages; applied in the same transaction. */
  readonly effects: DeliveryEffects;
  /** A mailbox's settings, read once per job however many stages ask. */
  settingsOf(mailboxId: string): Promise<MailboxSettings>;
}

export interface DeliveryEffects {
  readonly changes: MailChange[];
  /** New messages this delivery generates (automatic replies, warnings, NDRs), accepted in the same transaction. */
  readonly generated: MessageToAccept[];
  /** Remote recipients to hand to the outbound queue, with the envelope sender to use. */
  readonly outbound: { recipient: string; mailFrom: string }[];
  /** Local recipients that could not take the message, for the NDR. */
  readonly failed: { recipient: string; reason: string; status: string }[];
}

/** A stage decides, for one mailbox, whether delivery goes on. "stop" ends this mailbox's delivery. */
export type StageResult = 'continue' | 'stop';

export interface MailboxDelivery {
  readonly mailbox: Recipient;
  /** Addresses already visited for this job (forwarding loop protection). */
  readonly visited: Set<string>;
  /** Mailboxes still to deliver to (forwarding adds to it). */
  readonly queue: Recipient[];
}

export type MailboxStage = (ctx: DeliveryContext, delivery: MailboxDelivery) => Promise<StageResult>;
