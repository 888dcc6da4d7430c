import type { Kysely } from 'kysely';
import { deliveryMailboxById, expandGroupForDelivery, resolveForDelivery, type DeliveryMailbox, type DeliveryResolution } from '../directory/delivery-lookup.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import type { MailChange } from '../store/change-feed.js';
import { folderWithRole, inboxOf } from '../store/mail/folders.js';
import { MessageBatch } from '../store/mail/message-batch.js';
import type { IndexedMessage } from '../store/mail/message-writer.js';
import type { DatabaseEngine } from '../store/sql/database.js';
import type { DeliveryJobTable } from '../store/sql/mail-schema.js';
import type { Database } from '../store/sql/schema.js';
import type { DeliveryContext, DeliveryEffects, MailboxUsage } from './pipeline-types.js';

/**
 * The jobs of one delivery transaction, and what they share:
 *  - directory lookups, memoized for the batch only (read inside its transaction, so they are
 *    as current as the delivery itself; nothing is kept across batches, so an address, member
 *    or setting change applies to the next batch);
 *  - the messages to store, written together by a MessageBatch when the batch commits;
 *  - the blob references: +1 per stored copy, −1 per finished job, summed per blob, so a
 *    message with one recipient leaves its blob's refcount row untouched.
 */
export class DeliveryBatch {
  private readonly messages = new MessageBatch();
  private readonly resolutions = new Map<string, Promise<DeliveryResolution>>();
  private readonly groups = new Map<string, Promise<DeliveryMailbox[]>>();
  private readonly mailboxes = new Map<string, DeliveryMailbox>();
  private readonly warned = new Set<string>();
  private readonly blobDelta = new Map<string, number>();
  /** Who gets each stored message's change, by position in `messages`. */
  private readonly recipientsOfChanges: DeliveryEffects[] = [];

  constructor(private readonly tx: Kysely<Database>, private readonly engine: DatabaseEngine, private readonly blobs: BlobStore) {}

  /** Messages stored so far by the batch's jobs. */
  get storedMessages(): number {
    return this.messages.size;
  }

  /** The context the pipeline's stages see for one job of this batch. */
  contextFor(job: DeliveryJobTable, raw: Buffer, indexed: IndexedMessage): DeliveryContext {
    const effects: DeliveryEffects = { changes: [], generated: [], outbound: [], failed: [] };
    const blob = { hash: job.blob_hash, size: raw.length, inline: null };
    const batch = this;
    return {
      tx: this.tx, engine: this.engine, blobs: this.blobs, job, raw, blob, indexed, now: new Date(), effects,
      resolve: (address) => batch.resolve(address),
      expandGroup: (groupId) => batch.expandGroup(groupId),
      mailboxById: (id) => batch.mailboxById(id),
      settingsOf: async (id) => (await batch.requireMailbox(id)).settings,
      usageOf: (id) => batch.usageOf(id),
      markQuotaWarned: (id) => batch.markQuotaWarned(id),
      async store(mailbox, specialUse, flags) {
        const folderId = specialUse === null
          ? mailbox.inboxId ?? (await inboxOf(batch.tx, mailbox.id)).id
          : (await folderWithRole(batch.tx, mailbox.id, specialUse)).id;
        batch.messages.add({ folderId, mailboxId: mailbox.id, blob, indexed, flags, internalDate: job.received_at });
        batch.recipientsOfChanges.push(effects);
        batch.addReferences(blob.hash, 1);
      },
    };
  }

  /** The job is done with its blob (its row was deleted in this transaction). */
  releaseJob(job: DeliveryJobTable): void {
    this.addReferences(job.blob_hash, -1);
  }

  /** Writes the stored messages and the net blob references; returns the changes to publish after the commit. */
  async write(): Promise<MailChange[]> {
    const appended = await this.messages.write(this.tx, this.engine);
    appended.forEach((message, i) => this.recipientsOfChanges[i]!.changes.push(message.change));
    for (const [hash, delta] of this.blobDelta) {
      if (delta !== 0) await this.tx.updateTable('blobs').set((eb) => ({ refcount: eb('refcount', '+', delta) })).where('hash', '=', hash).execute();
    }
    return appended.map((message) => message.change);
  }

  private addReferences(hash: string, count: number): void {
    this.blobDelta.set(hash, (this.blobDelta.get(hash) ?? 0) + count);
  }

  private remember(mailbox: DeliveryMailbox): DeliveryMailbox {
    // The first read of a mailbox in the batch stands for all: usage then moves only through this batch's own messages.
    const known = this.mailboxes.get(mailbox.id);
    if (known) return known;
    this.mailboxes.set(mailbox.id, mailbox);
    return mailbox;
  }

  private resolve(address: string): Promise<DeliveryResolution> {
    // resolveForDelivery compares case-insensitively, so addresses differing only in case share one lookup.
    const key = address.toLowerCase();
    let found = this.resolutions.get(key);
    if (!found) {
      found = resolveForDelivery(this.tx, address).then((r) => (r.kind === 'mailbox' ? { kind: 'mailbox', mailbox: this.remember(r.mailbox) } : r));
      this.resolutions.set(key, found);
    }
    return found;
  }

  private expandGroup(groupId: string): Promise<DeliveryMailbox[]> {
    let found = this.groups.get(groupId);
    if (!found) {
      found = expandGroupForDelivery(this.tx, groupId).then((members) => members.map((m) => this.remember(m)));
      this.groups.set(groupId, found);
    }
    return found;
  }

  private async mailboxById(id: string): Promise<DeliveryMailbox | undefined> {
    const known = this.mailboxes.get(id);
    if (known) return known;
    const loaded = await deliveryMailboxById(this.tx, id);
    return loaded && this.remember(loaded);
  }

  private async requireMailbox(id: string): Promise<DeliveryMailbox> {
    const mailbox = await this.mailboxById(id);
    if (!mailbox) throw new Error(`mailbox ${id} not found`);
    return mailbox;
  }

  private async usageOf(id: string): Promise<MailboxUsage> {
    const { usage } = await this.requireMailbox(id);
    const added = this.messages.pendingUsage(id);
    return { bytes: usage.bytes + added.bytes, messages: usage.messages + added.messages, warned: usage.warned || this.warned.has(id) };
  }

  private async markQuotaWarned(id: string): Promise<void> {
    this.warned.add(id);
    // An upsert: a mailbox's first message may be the one that crosses the threshold, before it has a usage row.
    await this.tx.insertInto('mailbox_usage').values({ mailbox_id: id, bytes: 0, messages: 0, warned: 1 })
      .onConflict((oc) => oc.column('mailbox_id').doUpdateSet({ warned: 1 })).execute();
  }
}
