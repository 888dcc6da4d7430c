import { open, type FileHandle } from 'node:fs/promises';

/**
 * Group commit for SQLite in WAL mode. Transactions commit with synchronous=NORMAL: their
 * WAL frames are written but not fsynced, which keeps the (synchronous) commit off the disk's
 * critical path. Whoever must acknowledge durably (SMTP 250, an API answer) then awaits
 * `sync()`, which fsyncs the WAL file from libuv's thread pool — off the event loop — and
 * resolves once an fsync that began after the call has completed. Every commit made before
 * that fsync began is then on disk, and SQLite's recovery replays all of them
 * (https://sqlite.org/wal.html: frames are valid up to the last commit with a good checksum).
 * One fsync serves every caller that arrived while the previous one ran.
 */
export class WalSync {
  private handle: FileHandle | undefined;
  private running: Promise<void> | undefined;
  private waiting: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.fsync().finally(() => { this.running = undefined; });
      return this.running;
    }
    // An fsync is under way but may have started before our commit: wait for the next one.
    if (!this.waiting) {
      this.waiting = this.running.then(() => {
        this.waiting = undefined;
        return this.sync();
      });
    }
    return this.waiting;
  }

  async close(): Promise<void> {
    await this.running;
    await this.waiting;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async fsync(): Promise<void> {
    // Opened once: SQLite unlinks the WAL only when the last connection to the database closes
    // (https://sqlite.org/wal.html, "The WAL File"), and the connection whose commits this syncs
    // stays open for as long as WalSync is used, so the file keeps its inode. (A stat per fsync
    // to check that cost as much main-thread time as the fdatasync itself: two thread-pool
    // round trips instead of one.)
    this.handle ??= await open(this.walPath, 'r');
    await this.handle.datasync();
  }
}
