import type { Kysely } from 'kysely';
import { newId, nowIso } from '../core/ids.js';
import { recordAudit, type NewAuditEntry } from '../directory/audit-log.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import type { Database } from '../store/sql/schema.js';
import type { MessageToAccept } from './accept-queue.js';

/** Writes delivery jobs for messages generated during delivery, inside the caller's transaction. */
export async function insertGeneratedJobs(tx: Kysely<Database>, blobs: BlobStore, messages: readonly MessageToAccept[]): Promise<void> {
  for (const message of messages) {
    const blob = await blobs.stage(message.raw);
    await blobs.reference(tx, blob, 1);
    const now = nowIso();
    await tx.insertInto('delivery_jobs').values({
      id: newId(),
      blob_hash: blob.hash,
      mail_from: message.mailFrom,
      recipients_json: JSON.stringify(message.recipients),
      source: message.source,
      submitter_id: message.submitterId ?? null,
      sent_copy_mailbox_id: message.sentCopyMailboxId ?? null,
      received_at: now,
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
    }).execute();
    if (message.records) await writeAcceptanceRecords(tx, message.records);
  }
}

/** What a submission records beside its job: the Send As / Send on Behalf audit entry, and whom the sending mailbox wrote to. */
export interface AcceptanceRecords {
  readonly audit?: NewAuditEntry;
  /** Recipients the mailbox has corresponded with, for automatic replies to "known senders" only. */
  readonly knownSenders?: { readonly mailboxId: string; readonly addresses: readonly string[] };
}

export async function writeAcceptanceRecords(tx: Kysely<Database>, records: AcceptanceRecords): Promise<void> {
  if (records.audit) await recordAudit(tx, records.audit);
  const known = records.knownSenders;
  if (known && known.addresses.length > 0) {
    const keys = [...new Set(known.addresses.map((a) => a.toLowerCase()))];
    await tx.insertInto('known_senders').values(keys.map((address_key) => ({ mailbox_id: known.mailboxId, address_key })))
      .onConflict((oc) => oc.columns(['mailbox_id', 'address_key']).doNothing()).execute();
  }
}

/** Queues one outbound copy per remote recipient; each row holds a reference to the blob. */
export async function insertOutbound(tx: Kysely<Database>, blobs: BlobStore, blobHash: string, size: number, items: readonly { recipient: string; mailFrom: string }[], lifetimeMs: number): Promise<void> {
  if (items.length === 0) return;
  const now = new Date();
  await blobs.reference(tx, { hash: blobHash, size, inline: null }, items.length);
  await tx.insertInto('outbound_queue').values(items.map((item) => ({
    id: newId(),
    blob_hash: blobHash,
    mail_from: item.mailFrom,
    recipient: item.recipient,
    attempts: 0,
    next_attempt_at: now.toISOString(),
    expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    last_error: null,
    created_at: now.toISOString(),
  }))).execute();
}
