import type { Kysely } from 'kysely';
import type { Logger } from '../../core/logger.js';
import type { BlobStore } from '../../store/blob/blob-store.js';
import type { DatabaseEngine } from '../../store/sql/database.js';
import type { Database } from '../../store/sql/schema.js';
import { oneLine, retryDelayMs, type AttemptOutcome, type RetryPolicy } from './attempt-outcome.js';
import { deliveryFailureReport, expiryFailure, type RemoteFailure } from './bounce.js';
import type { MessageSigner } from './dkim.js';
import { claimDue, deferRow, finishRow, nextWakeAt, releaseAllLeases, unlockRow, type QueueRow } from './queue-store.js';
import type { Route, RouteLookup } from './route.js';
import { DestinationSession } from './smtp-delivery.js';
import { WorkLoop } from '../work-loop.js';

export interface OutboundWorkerDeps {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  /** Our name in EHLO and in the DSNs we write. */
  readonly hostname: string;
  /** The smarthost, or the recipient domain's MX hosts. */
  readonly route: RouteLookup;
  /** DKIM signing, when a key is configured. */
  readonly sign?: MessageSigner | undefined;
  /** To send a DSN for forwarded mail to the original sender (SRS). */
  readonly srsSecret: string;
  readonly retry: RetryPolicy;
  /** Called after DSNs were committed as delivery jobs: wakes the delivery worker. */
  readonly onReports: () => void;
  /** SMTP connection, greeting and command timeouts; default 30 s. */
  readonly timeoutMs?: number;
  /** How long a claimed row is ours; longer than any attempt can take. Default 15 min. */
  readonly leaseMs?: number;
  /** Longest sleep between looks at the queue (other nodes, admin changes); default 5 s. */
  readonly pollMs?: number;
  readonly batchSize?: number;
  /** Destination domains served at once. */
  readonly concurrency?: number;
}

/**
 * Delivers the outbound queue: one row per remote recipient, written by the delivery pipeline.
 * Due rows are claimed with a lease, grouped by destination domain and sent; then each row is
 * delivered (removed), deferred with exponential backoff until its lifetime ends, or failed
 * with a DSN to the sender (RFC 3464) committed in the same transaction that removes the row.
 * Sending is at-least-once: a crash between the remote "250" and the commit sends again.
 */
export class OutboundWorker {
  private readonly loop = new WorkLoop(() => this.drain());
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private readonly log: Logger;

  constructor(private readonly deps: OutboundWorkerDeps) {
    this.log = deps.logger;
  }

  /** Starts on boot, so that a restart finishes what was queued. */
  async start(): Promise<void> {
    // SQLite means one node: a lease still set was left by a process that is gone.
    if (this.deps.engine === 'sqlite') await releaseAllLeases(this.deps.db);
    this.wake();
  }

  /** Stops taking work and ends attempts in flight; their rows are given back untouched. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.loop.stop();
  }

  /** Called when rows were queued or made due (delivery worker, admin "retry"). */
  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.loop.wake();
  }

  /** One pass: send what is due, then sleep until the next row becomes due (or the poll interval). */
  private async drain(): Promise<void> {
    try {
      while (!this.loop.isStopped && await this.deliverBatch() > 0) { /* until nothing is due */ }
      if (this.loop.isStopped) return;
      const next = await nextWakeAt(this.deps.db);
      // Woken meanwhile: the loop runs another pass at once, no timer needed.
      if (!this.loop.wokenSince) this.arm(next ? next.getTime() - Date.now() : Infinity);
    } catch (err) {
      this.log.error({ err }, 'outbound queue run failed; trying again shortly');
      this.arm(Infinity);
    }
  }

  private arm(delayMs: number): void {
    if (this.loop.isStopped) return;
    const pollMs = this.deps.pollMs ?? 5000;
    this.timer = setTimeout(() => this.wake(), Math.max(10, Math.min(delayMs, pollMs)));
    this.timer.unref();
  }

  private async deliverBatch(): Promise<number> {
    const { db, engine } = this.deps;
    const now = new Date();
    const rows = await claimDue(db, engine, now, new Date(now.getTime() + (this.deps.leaseMs ?? 15 * 60_000)), this.deps.batchSize ?? 64);
    if (rows.length === 0) return 0;
    const byDomain = new Map<string, QueueRow[]>();
    for (const row of rows) {
      const domain = row.recipient.slice(row.recipient.lastIndexOf('@') + 1).toLowerCase();
      const group = byDomain.get(domain);
      if (group) group.push(row);
      else byDomain.set(domain, [row]);
    }
    const groups = [...byDomain];
    const workers = Array.from({ length: Math.min(this.deps.concurrency ?? 8, groups.length) }, async () => {
      for (let group = groups.shift(); group; group = groups.shift()) await this.deliverDomain(group[0], group[1]);
    });
    await Promise.all(workers);
    return rows.length;
  }

  private async deliverDomain(domain: string, rows: readonly QueueRow[]): Promise<void> {
    let route: Route;
    try {
      route = await this.deps.route(domain);
    } catch (err) {
      route = { kind: 'failed', permanent: false, status: '4.4.3', reason: `Looking up the mail servers of ${domain} failed: ${oneLine(String(err))}` };
    }
    if (route.kind === 'failed') {
      const outcome: AttemptOutcome = { kind: route.permanent ? 'failed' : 'deferred', status: route.status, reason: route.reason };
      for (const row of rows) await this.settle(row, undefined, outcome);
      return;
    }
    const session = new DestinationSession(route.hosts, { hostname: this.deps.hostname, timeoutMs: this.deps.timeoutMs ?? 30_000 }, this.abort.signal);
    try {
      for (const row of rows) {
        let raw: Buffer | undefined;
        let outcome: AttemptOutcome;
        try {
          raw = await this.deps.blobs.read(this.deps.db, row.blob_hash);
          // The stored bytes go out unchanged; a DKIM signature is the only addition.
          const bytes = this.deps.sign ? await this.deps.sign(raw) : raw;
          outcome = await session.send({ from: row.mail_from, to: row.recipient }, bytes);
        } catch (err) {
          this.log.error({ err, queue: row.id }, 'preparing an outbound message failed');
          outcome = { kind: 'deferred', status: '4.3.0', reason: `A local problem stopped delivery: ${oneLine(err instanceof Error ? err.message : String(err))}` };
        }
        await this.settle(row, raw, outcome);
      }
    } finally {
      session.close();
    }
  }

  /** Records what an attempt did. A failure here leaves the lease to expire, and the row is tried again. */
  private async settle(row: QueueRow, raw: Buffer | undefined, outcome: AttemptOutcome): Promise<void> {
    const { db, blobs } = this.deps;
    const fields = { queue: row.id, from: row.mail_from, to: row.recipient, attempts: row.attempts + 1 };
    try {
      switch (outcome.kind) {
        case 'aborted':
          await unlockRow(db, row);
          return;
        case 'delivered':
          if (await finishRow(db, blobs, row, null)) this.log.info({ ...fields, host: outcome.host, reply: outcome.reply }, 'outbound message delivered');
          return;
        case 'failed':
          await this.fail(row, raw, outcome, fields);
          return;
        case 'deferred': {
          const now = Date.now();
          const expiresAt = Date.parse(row.expires_at);
          if (now >= expiresAt) {
            await this.fail(row, raw, expiryFailure(row, outcome), fields);
            return;
          }
          // The last try falls on the expiry time itself, so a message never outlives its lifetime untried.
          const next = new Date(Math.min(now + retryDelayMs(row.attempts + 1, this.deps.retry), expiresAt));
          await deferRow(db, row, next, outcome.reply ?? outcome.reason);
          this.log.info({ ...fields, host: outcome.host, status: outcome.status, error: outcome.reply ?? outcome.reason, nextAttemptAt: next.toISOString() }, 'outbound message deferred');
        }
      }
    } catch (err) {
      this.log.error({ err, ...fields }, 'recording an outbound attempt failed; the lease will expire and it is tried again');
    }
  }

  private async fail(row: QueueRow, raw: Buffer | undefined, failure: RemoteFailure, fields: Record<string, unknown>): Promise<void> {
    const { db, blobs } = this.deps;
    const original = raw ?? await blobs.read(db, row.blob_hash);
    const report = deliveryFailureReport({ row, raw: original, failure, hostname: this.deps.hostname, srsSecret: this.deps.srsSecret, now: new Date() });
    if (!(await finishRow(db, blobs, row, report))) return;
    this.log.warn({ ...fields, host: failure.host, status: failure.status, error: failure.reply ?? failure.reason, reportTo: report?.recipients[0] ?? null }, 'outbound message failed');
    if (report) this.deps.onReports();
  }
}
