import type { Kysely } from 'kysely';
import type { Logger } from '../core/logger.js';
import type { BlobStore } from '../store/blob/blob-store.js';
import type { ChangeFeed, MailChange } from '../store/change-feed.js';
import type { IndexedMessage } from '../store/mail/message-writer.js';
import type { DatabaseEngine } from '../store/sql/database.js';
import type { DeliveryJobTable } from '../store/sql/mail-schema.js';
import type { Database } from '../store/sql/schema.js';
import { DeliveryBatch } from './delivery-batch.js';
import { insertGeneratedJobs, insertOutbound } from './job-writer.js';
import type { DeliveryContext, MailboxStage } from './pipeline-types.js';
import { expandRecipients } from './recipients.js';
import { storeSentCopy } from './stages/sent-copy.js';
import { WorkLoop } from './work-loop.js';

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
  /** Jobs per delivery transaction at most. */
  readonly batchSize?: number;
  /** Copies stored per delivery transaction, about: jobs past it wait for the next one. */
  readonly maxCopiesPerBatch?: number;
  /** Called after a commit that queued outbound mail (wakes the outbound worker). */
  readonly onOutboundQueued?: () => void;
}

/**
 * Delivery batches: a commit, its statements and its FTS segment cost about the same for 5 jobs
 * as for 100, so jobs gather a while. Measured with `npm run bench -- smtp` (8 sessions,
 * 4 KiB): 10 ms / 16 jobs gave ~1.6 ms of server CPU per message and ~700 msgs/s; 50 ms / 128
 * gave ~1.3 ms and ~850/s, with the same p99. A message becomes visible ≤ ~50 ms later
 * (Dovecot holds IDLE notifications back 500 ms).
 */
const defaultGatherMs = 50;
const defaultBatchSize = 128;
/** Keeps one transaction (which holds the event loop while it writes) to about a second of work. */
const defaultMaxCopiesPerBatch = 2000;

interface PreparedJob { job: DeliveryJobTable; raw: Buffer; indexed: IndexedMessage }

/**
 * Delivers committed jobs. A job's messages, its generated mail and its removal commit in
 * one transaction, so a crash at any point delivers each job exactly once: either nothing
 * of it happened (and a restart does it) or all of it did. Jobs are taken in batches that
 * share one commit, and their stored messages are written together (DeliveryBatch).
 */
export class DeliveryWorker {
  private readonly loop = new WorkLoop(() => this.drain());
  private timer: NodeJS.Timeout | undefined;
  /** Set by a job that queued outbound mail; reported once its transaction has committed. */
  private outboundQueued = false;
  /** When the last drain started: a wake soon after it means load, and jobs gather. */
  private lastBusyAt = 0;

  constructor(private readonly deps: DeliveryWorkerDeps) {}

  start(): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), 5000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.loop.stop();
  }

  /** Called when new jobs were committed. */
  wake(): void {
    this.loop.wake();
  }

  /** One pass: gather, then deliver batches until a short one says nothing due is left. */
  private async drain(): Promise<void> {
    // Under load, let jobs committed by concurrent sessions gather, so one delivery commit covers
    // many. After a quiet spell a job goes at once: a message to an idle server shows up in the
    // members' IDLE sessions within milliseconds, not after the gathering window.
    const gatherMs = this.deps.gatherMs ?? defaultGatherMs;
    const quiet = Date.now() - this.lastBusyAt > 4 * gatherMs;
    await new Promise((resolve) => (quiet ? setImmediate(resolve) : setTimeout(resolve, gatherMs)));
    this.lastBusyAt = Date.now();
    // A short batch means no due job was left behind; jobs committed since have called wake().
    const batchSize = this.deps.batchSize ?? defaultBatchSize;
    while (!this.loop.isStopped && await this.deliverBatch() >= batchSize);
  }

  private async deliverBatch(): Promise<number> {
    const { db, blobs } = this.deps;
    // The job rows come with their blob's bytes when it is small enough to live in its row.
    const jobs = await db.selectFrom('delivery_jobs').innerJoin('blobs', 'blobs.hash', 'delivery_jobs.blob_hash')
      .selectAll('delivery_jobs').select('blobs.data')
      .where('delivery_jobs.next_attempt_at', '<=', new Date().toISOString())
      // In index order, so LIMIT stops the scan (a new job's next_attempt_at is its received_at; equal keys keep insertion order).
      .orderBy('delivery_jobs.next_attempt_at').limit(this.deps.batchSize ?? defaultBatchSize).execute();
    if (jobs.length === 0) return 0;
    // Parsing happens before the transaction, so the write lock is held only for the writes.
    const prepared: PreparedJob[] = [];
    for (const { data, ...job } of jobs) {
      const raw = data ?? await blobs.read(db, job.blob_hash);
      prepared.push({ job, raw, indexed: this.deps.index(raw) });
      // Parsing a large batch is milliseconds of CPU: let SMTP sessions in between.
      if (prepared.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      this.deps.feed.publish(await db.transaction().execute((tx) => this.deliverJobs(tx, prepared)));
    } catch (err) {
      if (prepared.length === 1) await this.postpone(prepared[0]!.job, err);
      else {
        // Isolate the failing job so one bad message never holds up the others.
        for (const p of prepared) {
          try {
            this.deps.feed.publish(await db.transaction().execute((tx) => this.deliverJobs(tx, [p])));
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

  private async deliverJobs(tx: Kysely<Database>, prepared: readonly PreparedJob[]): Promise<MailChange[]> {
    // Another node may have taken some (PostgreSQL): deleting first claims them.
    const claimed = new Set((await tx.deleteFrom('delivery_jobs').where('id', 'in', prepared.map((p) => p.job.id)).returning('id').execute()).map((r) => r.id));
    const batch = new DeliveryBatch(tx, this.deps.engine, this.deps.blobs);
    const done: DeliveryContext[] = [];
    const deferred: DeliveryJobTable[] = [];
    for (const p of prepared) {
      if (!claimed.has(p.job.id)) continue;
      // Group messages fan out: past this many copies, the rest wait for the next transaction.
      if (batch.storedMessages >= (this.deps.maxCopiesPerBatch ?? defaultMaxCopiesPerBatch)) deferred.push(p.job);
      else done.push(await this.deliverJob(batch, p));
    }
    if (deferred.length > 0) {
      await tx.insertInto('delivery_jobs').values(deferred).execute();
      // The deferred copies are due now: another pass takes them.
      this.loop.wake();
    }
    const changes = await batch.write();
    for (const { job, effects } of done) {
      this.deps.logger.info({ job: job.id, delivered: effects.changes.length, outbound: effects.outbound.length, failed: effects.failed.length }, 'job delivered');
    }
    return changes;
  }

  private async deliverJob(batch: DeliveryBatch, { job, raw, indexed }: PreparedJob): Promise<DeliveryContext> {
    const { blobs } = this.deps;
    const ctx = batch.contextFor(job, raw, indexed);
    const { tx, effects } = ctx;
    const recipients = JSON.parse(job.recipients_json) as string[];
    const expanded = await expandRecipients(ctx, recipients);
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
    batch.releaseJob(job);
    return ctx;
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
