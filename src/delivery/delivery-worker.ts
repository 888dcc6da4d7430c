import type { Kysely } from 'kysely';
import type { Logger } from '../core/logger.js';
import { getMailboxSettings, type MailboxSettings } from '../directory/mailbox-settings.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import type { ChangeFeed, MailChange } from '../store/change-feed.js';
import type { IndexedMessage } from '../store/mail/message-writer.js';
import type { DatabaseEngine } from '../store/sql/database.js';
import type { DeliveryJobTable } from '../store/sql/mail-schema.js';
import type { Database } from '../store/sql/schema.js';
import { insertGeneratedJobs, insertOutbound } from './job-writer.js';
import type { DeliveryContext, DeliveryEffects, MailboxStage } from './pipeline-types.js';
import { expandRecipients } from './recipients.js';
import { storeSentCopy } from './stages/sent-copy.js';

export interface DeliveryWorkerDeps {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  readonly blobs: BlobStore;
  readonly feed: ChangeFeed;
  readonly logger: Logger;
  readonly index: (raw: Buffer) => IndexedMessage;
  /** Per-mailbox stages in order (quota → forwarding → store → automatic reply). */
  readonly stages: readonly MailboxStage[];
  /** Turns failed local recipients into a non-delivery report for the sender, when there is one. */
  readonly nonDeliveryReport: (ctx: DeliveryContext) => void;
  readonly outboundLifetimeMs: number;
  /** How long new jobs gather before a delivery batch starts (a little latency for far fewer commits). */
  readonly gatherMs?: number;
  readonly batchSize?: number;
  /** Called after a commit that queued outbound mail (wakes the outbound worker). */
  readonly onOutboundQueued?: () => void;
}

interface PreparedJob { job: DeliveryJobTable; raw: Buffer; indexed: IndexedMessage }

/**
 * Delivers committed jobs. A job's messages, its generated mail and its removal commit in
 * one transaction, so a crash at any point delivers each job exactly once: either nothing
 * of it happened (and a restart does it) or all of it did. Jobs are taken in batches that
 * share one commit.
 */
export class DeliveryWorker {
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private idle: Promise<void> = Promise.resolve();
  /** Set by a job that queued outbound mail; reported once its transaction has committed. */
  private outboundQueued = false;

  constructor(private readonly deps: DeliveryWorkerDeps) {}

  start(): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.idle;
  }

  /** Called when new jobs were committed. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.drain().finally(() => { this.running = false; });
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      // Let jobs committed by concurrent sessions gather, so one delivery commit covers many.
      await new Promise((resolve) => setTimeout(resolve, this.deps.gatherMs ?? 10));
      let delivered: number;
      do {
        delivered = await this.deliverBatch();
      } while (delivered > 0 && !this.stopped);
    } while (this.again && !this.stopped);
  }

  private async deliverBatch(): Promise<number> {
    const { db, blobs } = this.deps;
    const jobs = await db.selectFrom('delivery_jobs').selectAll().where('next_attempt_at', '<=', new Date().toISOString())
      .orderBy('received_at').limit(this.deps.batchSize ?? 16).execute();
    if (jobs.length === 0) return 0;
    // Parsing happens before the transaction, so the write lock is held only for the writes.
    const prepared: PreparedJob[] = [];
    for (const job of jobs) {
      const raw = await blobs.read(db, job.blob_hash);
      prepared.push({ job, raw, indexed: this.deps.index(raw) });
    }
    try {
      const changes = await db.transaction().execute(async (tx) => {
        const all: MailChange[] = [];
        for (const p of prepared) all.push(...await this.deliverJob(tx, p));
        return all;
      });
      this.deps.feed.publish(changes);
    } catch (err) {
      if (prepared.length === 1) await this.postpone(prepared[0]!.job, err);
      else {
        // Isolate the failing job so one bad message never holds up the others.
        for (const p of prepared) {
          try {
            this.deps.feed.publish(await db.transaction().execute((tx) => this.deliverJob(tx, p)));
          } catch (jobErr) {
            await this.postpone(p.job, jobErr);
          }
        }
      }
    }
    if (this.outboundQueued) {
      this.outboundQueued = false;
      this.deps.onOutboundQueued?.();
    }
    return jobs.length;
  }

  private async deliverJob(tx: Kysely<Database>, { job, raw, indexed }: PreparedJob): Promise<MailChange[]> {
    const { engine, blobs } = this.deps;
    // Another node may have taken it (PostgreSQL): deleting first claims it.
    const claimed = await tx.deleteFrom('delivery_jobs').where('id', '=', job.id).executeTakeFirst();
    if (Number(claimed.numDeletedRows) === 0) return [];
    const effects: DeliveryEffects = { changes: [], generated: [], outbound: [], failed: [] };
    const settings = new Map<string, Promise<MailboxSettings>>();
    const settingsOf = (mailboxId: string) => {
      let found = settings.get(mailboxId);
      if (!found) settings.set(mailboxId, found = getMailboxSettings(tx, mailboxId));
      return found;
    };
    const ctx: DeliveryContext = { tx, engine, blobs, job, raw, blob: { hash: job.blob_hash, size: raw.length, inline: null }, indexed, now: new Date(), effects, settingsOf };
    const recipients = JSON.parse(job.recipients_json) as string[];
    const expanded = await expandRecipients(tx, recipients);
    effects.failed.push(...expanded.failed);
    for (const remote of expanded.remote) effects.outbound.push({ recipient: remote, mailFrom: job.mail_from });
    if (job.sent_copy_mailbox_id !== null) await storeSentCopy(ctx, job.sent_copy_mailbox_id);
    const queue = [...expanded.mailboxes];
    const visited = new Set(queue.map((m) => m.id));
    while (queue.length > 0) {
      const mailbox = queue.shift()!;
      for (const stage of this.deps.stages) {
        if (await stage(ctx, { mailbox, visited, queue }) === 'stop') break;
      }
    }
    if (effects.failed.length > 0) this.deps.nonDeliveryReport(ctx);
    await insertGeneratedJobs(tx, blobs, effects.generated);
    await insertOutbound(tx, blobs, job.blob_hash, raw.length, effects.outbound, this.deps.outboundLifetimeMs);
    if (effects.outbound.length > 0) this.outboundQueued = true;
    await blobs.release(tx, job.blob_hash, 1);
    this.deps.logger.info({ job: job.id, delivered: effects.changes.length, outbound: effects.outbound.length, failed: effects.failed.length }, 'job delivered');
    return effects.changes;
  }

  private async postpone(job: DeliveryJobTable, err: unknown): Promise<void> {
    const attempts = job.attempts + 1;
    const delayMs = Math.min(3600_000, 1000 * 2 ** Math.min(attempts, 12));
    this.deps.logger.error({ err, job: job.id, attempts }, 'delivery failed; will retry');
    await this.deps.db.updateTable('delivery_jobs').set({
      attempts,
      next_attempt_at: new Date(Date.now() + delayMs).toISOString(),
      last_error: err instanceof Error ? err.message : String(err),
    }).where('id', '=', job.id).execute();
  }
}
