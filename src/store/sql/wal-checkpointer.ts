import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever
 * COMMIT crosses the threshold (1000 pages), on the committing connection — here the event
 * loop — and, with synchronous=NORMAL, it fsyncs both the WAL and the database file there. That
 * stalled every SMTP session for the length of two fsyncs several times a second (profiles
 * showed COMMIT at ~13% of the server's CPU time). The main connection therefore turns automatic
 * checkpoints off and this worker thread, on its own connection, runs PASSIVE checkpoints
 * (https://sqlite.org/c3ref/wal_checkpoint_v2.html: never blocks readers or writers).
 *
 * Durability is unchanged: a checkpoint copies only committed frames and fsyncs the database
 * before SQLite may reuse the WAL (https://sqlite.org/wal.html, "Checkpointing"), so a frame that
 * WalSync made durable stays durable, in the WAL or in the database file.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private closing = false;

  /** `onFailure` runs if the thread dies: the caller then turns SQLite's own checkpoints back on, so the WAL never grows without bound. */
  constructor(file: string, onFailure: (err: unknown) => void, intervalMs = 250) {
    this.worker = new Worker(new URL('./wal-checkpoint-worker.js', import.meta.url), { workerData: { file, intervalMs } });
    // Never keeps the process alive on its own; close() stops it cleanly.
    this.worker.unref();
    let failure: unknown;
    this.worker.on('error', (err) => { failure = err; });
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => {
      if (!this.closing) onFailure(failure ?? new Error(`WAL checkpoint thread exited with code ${code}`));
      resolve();
    }));
  }

  /** Stops the worker after its current checkpoint; its connection closes with it. */
  async close(): Promise<void> {
    this.closing = true;
    // Referenced again while it stops, or the event loop could end before it has.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
