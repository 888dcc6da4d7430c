import type { Kysely } from 'kysely';
import type { MailboxSettings } from '../directory/mailbox-settings.js';
import type { DeliveryMailbox, DeliveryResolution } from '../directory/delivery-lookup.js';
import type { BlobStore, StagedBlob } from '../store/blob/blob-store.js';
import type { MailChange } from '../store/change-feed.js';
import type { IndexedMessage } from '../store/mail/message-writer.js';
import type { DatabaseEngine } from '../store/sql/database.js';
import type { DeliveryJobTable } from '../store/sql/mail-schema.js';
import type { Database } from '../store/sql/schema.js';
import type { MessageToAccept } from './accept-queue.js';

/** One delivery job being processed inside one transaction, usually alongside other jobs of its batch. */
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
  /** An address as delivery sees it, looked up once per batch (see DeliveryBatch). */
  resolve(address: string): Promise<DeliveryResolution>;
  /** The mailboxes a group reaches, looked up once per batch. */
  expandGroup(groupId: string): Promise<DeliveryMailbox[]>;
  /** A mailbox by id; undefined when it is gone or no longer a mailbox. */
  mailboxById(mailboxId: string): Promise<DeliveryMailbox | undefined>;
  /** A mailbox's settings, read once per batch however many stages and jobs ask. */
  settingsOf(mailboxId: string): Promise<MailboxSettings>;
  /** A mailbox's usage as this job finds it: what is stored plus what earlier jobs of the batch add. */
  usageOf(mailboxId: string): Promise<MailboxUsage>;
  /** Records that the mailbox got its quota warning (stored until usage drops below the threshold again). */
  markQuotaWarned(mailboxId: string): Promise<void>;
  /**
   * Stores the message in the mailbox's folder with this SPECIAL-USE role (null = INBOX), with one
   * more reference to the blob. Written with the batch's other messages before it commits; the
   * change lands in `effects.changes` then.
   */
  store(mailbox: DeliveryMailbox, specialUse: string | null, flags: readonly string[]): Promise<void>;
}

export interface MailboxUsage { readonly bytes: number; readonly messages: number; readonly warned: boolean }

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
  readonly mailbox: DeliveryMailbox;
  /** Addresses already visited for this job (forwarding loop protection). */
  readonly visited: Set<string>;
  /** Mailboxes still to deliver to (forwarding adds to it). */
  readonly queue: DeliveryMailbox[];
}

export type MailboxStage = (ctx: DeliveryContext, delivery: MailboxDelivery) => Promise<StageResult>;
