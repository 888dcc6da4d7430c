import type { Kysely } from 'kysely';
import { newTimeOrderedId, nowIso } from '../core/ids.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import type { DeliverySource } from '../store/sql/mail-schema.js';
import type { Database } from '../store/sql/schema.js';
import { writeAcceptanceRecords, type AcceptanceRecords } from './job-writer.js';

export interface MessageToAccept {
  readonly raw: Buffer;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly source: DeliverySource;
  readonly submitterId?: string;
  /** Submission only: the mailbox sent as or on behalf of, when its setting asks for a copy in its Sent Items. */
  readonly sentCopyMailboxId?: string;
  /** Rows that commit in the same transaction as the job, so they exist exactly when the message was accepted. */
  readonly records?: AcceptanceRecords;
}

interface Pending {
  readonly message: MessageToAccept;
  readonly blob: Awaited<ReturnType<BlobStore['stage']>>;
  readonly jobId: string;
  resolve(jobId: string): void;
  reject(err: unknown): void;
}

/**
 * The durable acceptance step, with group commit. Each message becomes a blob plus a delivery
 * job; `accept` resolves only after the transaction holding them is durable (SQLite: WalSync's
 * fsync of the WAL; PostgreSQL: the commit), which is when SMTP may say 250. Messages arriving
 * while an fsync is in flight wait for it to finish and then share one commit and the next
 * fsync: a message arriving then could not be acknowledged before that next fsync anyway, and
 * every COMMIT writes the pages it touched (indexes, FTS, interior pages) into the WAL again,
 * so fewer, larger commits cost less for the same durability.
 */
export class AcceptQueue {
  private pending: Pending[] = [];
  private flushing = false;
  /** The fsync covering the last commit, while it runs. */
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly blobs: BlobStore,
    private readonly onCommitted: () => void,
    /** Resolves once what was committed is on disk (the database's group fsync). */
    private readonly durable: () => Promise<void>,
  ) {}

  async accept(message: MessageToAccept): Promise<string> {
    const blob = await this.blobs.stage(message.raw);
    return new Promise<string>((resolve, reject) => {
      this.pending.push({ message, blob, jobId: newTimeOrderedId(), resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the other sessions' messages of this tick join the same commit.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      // Gather while the previous group's fsync runs (see above); it never fails here (errors go to that group).
      if (this.syncing) await this.syncing;
      const batch = this.pending.splice(0, 256);
      try {
        await this.db.transaction().execute(async (tx) => {
          const now = nowIso();
          await this.blobs.referenceAll(tx, batch.map((item) => item.blob));
          await tx.insertInto('delivery_jobs').values(batch.map((item) => ({
            id: item.jobId,
            blob_hash: item.blob.hash,
            mail_from: item.message.mailFrom,
            recipients_json: JSON.stringify(item.message.recipients),
            source: item.message.source,
            submitter_id: item.message.submitterId ?? null,
            sent_copy_mailbox_id: item.message.sentCopyMailboxId ?? null,
            received_at: now,
            attempts: 0,
            next_attempt_at: now,
            last_error: null,
          }))).execute();
          for (const item of batch) if (item.message.records) await writeAcceptanceRecords(tx, item.message.records);
        });
        this.onCommitted();
        // Acknowledge only once the commit is durable.
        const synced: Promise<void> = this.durable().then(
          () => { for (const item of batch) item.resolve(item.jobId); },
          (err: unknown) => { for (const item of batch) item.reject(err); },
        ).finally(() => { if (this.syncing === synced) this.syncing = undefined; });
        this.syncing = synced;
      } catch (err) {
        for (const item of batch) item.reject(err);
      }
    }
    this.flushing = false;
  }
}
