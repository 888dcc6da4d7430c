import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

/** The thread behind WalCheckpointer (see wal-checkpointer.ts): one connection, PASSIVE checkpoints on a timer. */
const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const connection = new BetterSqlite3(file);
// A checkpoint with nothing new to copy returns at once without any fsync, so an idle server costs nothing.
const checkpoint = () => {
  try {
    connection.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY or a locked database: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, intervalMs);
parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  connection.close();
  parentPort?.close();
});
