import type { Kysely } from 'kysely';
import type { ChangeFeed, MailChange } from '../../store/change-feed.js';
import type { Folder } from '../../store/mail/folders.js';
import { folderUids } from '../../store/mail/message-index.js';
import type { Database } from '../../store/sql/schema.js';

interface Entry {
  uids: number[];
  /** The highest mod-sequence this list is known to reflect (the folder row's, or a change's). */
  modseq: number;
  /** Changes that arrived while the list was loading, applied once it is in. */
  pending: MailChange[] | null;
  loading: Promise<void> | null;
  /** Sessions waiting for the list to reach a mod-sequence (see `uids`). */
  waiters: Array<{ modseq: number; resolve: () => void }>;
}

/**
 * How long a SELECT waits for changes already committed by this process to arrive on the feed
 * (a writer publishes once its commit is durable, a few milliseconds later) before reading the
 * whole list again.
 */
const CATCH_UP_MS = 25;

/**
 * The UID lists of recently selected folders, shared by every session of this process and kept
 * current by the change feed, so that SELECT of a 100,000-message folder copies an array instead
 * of reading 100,000 rows. A list is trusted only while it has seen the folder's HIGHESTMODSEQ:
 * every change to a folder's messages raises it, so a change the feed did not carry (another node
 * on PostgreSQL, a writer that does not publish) makes the next SELECT load the list again.
 */
export class FolderUidCache {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;

  constructor(private readonly db: Kysely<Database>, feed: ChangeFeed, private readonly maxFolders = 256) {
    this.unsubscribe = feed.subscribeAll((change) => this.apply(change));
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }

  /** The folder's UIDs, ascending: a copy the caller may change. `folder` is its row as just read. */
  async uids(folder: Folder): Promise<number[]> {
    let entry = this.entries.get(folder.id);
    if (entry?.loading) await entry.loading;
    entry = this.entries.get(folder.id);
    const target = Number(folder.highest_modseq);
    // Behind the folder row: most often another session's change is committed and waiting for its
    // fsync before it is published. Wait for it a moment rather than reading 100,000 rows again.
    if (entry && entry.modseq < target) await this.catchUp(entry, target);
    if (!entry || entry.modseq < target) entry = await this.load(folder);
    // Most recently used last: the map's order is the eviction order.
    this.entries.delete(folder.id);
    this.entries.set(folder.id, entry);
    return entry.uids.slice();
  }

  private catchUp(entry: Entry, modseq: number): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { modseq, resolve };
      const timer = setTimeout(() => {
        entry.waiters = entry.waiters.filter((w) => w !== waiter);
        resolve();
      }, CATCH_UP_MS);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      entry.waiters.push(waiter);
    });
  }

  private async load(folder: Folder): Promise<Entry> {
    const entry: Entry = { uids: [], modseq: Number(folder.highest_modseq), pending: [], loading: null, waiters: [] };
    this.entries.set(folder.id, entry);
    entry.loading = (async () => {
      try {
        entry.uids = await folderUids(this.db, folder.id);
      } catch (error) {
        this.entries.delete(folder.id);
        throw error;
      }
      const pending = entry.pending ?? [];
      entry.pending = null;
      // Changes committed while the rows were read may or may not be in them: applying is idempotent.
      for (const change of pending) this.applyTo(entry, change);
    })();
    try {
      await entry.loading;
    } finally {
      entry.loading = null;
    }
    while (this.entries.size > this.maxFolders) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  private apply(change: MailChange): void {
    if (!('folderId' in change)) return;
    const entry = this.entries.get(change.folderId);
    if (!entry) return;
    if (change.kind === 'folder-deleted' || change.kind === 'folder-renamed') {
      this.entries.delete(change.folderId);
      return;
    }
    if (entry.pending) entry.pending.push(change);
    else this.applyTo(entry, change);
  }

  private applyTo(entry: Entry, change: MailChange): void {
    if (change.kind === 'message-added') {
      insertSorted(entry.uids, change.uid);
      entry.modseq = Math.max(entry.modseq, change.modseq);
    } else if (change.kind === 'expunged') {
      for (const uid of change.uids) removeSorted(entry.uids, uid);
      entry.modseq = Math.max(entry.modseq, change.modseq);
    } else if (change.kind === 'flags-changed') {
      entry.modseq = Math.max(entry.modseq, change.modseq);
    }
    if (entry.waiters.length > 0) {
      const ready = entry.waiters.filter((w) => w.modseq <= entry.modseq);
      entry.waiters = entry.waiters.filter((w) => w.modseq > entry.modseq);
      for (const waiter of ready) waiter.resolve();
    }
  }
}

function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: number[], uid: number): void {
  if (list.length === 0 || list[list.length - 1]! < uid) {
    list.push(uid);
    return;
  }
  const at = lowerBound(list, uid);
  if (list[at] !== uid) list.splice(at, 0, uid);
}

function removeSorted(list: number[], uid: number): void {
  const at = lowerBound(list, uid);
  if (list[at] === uid) list.splice(at, 1);
}
