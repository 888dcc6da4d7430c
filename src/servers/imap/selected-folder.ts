import type { FetchResponseItem, Response, SequenceSet } from '../../protocol/imap/index.js';
import { resolveSequenceSet } from '../../protocol/imap/index.js';
import type { MailChange } from '../../store/change-feed.js';
import { messagesWithUids, parseFlags } from '../../store/mail/message-index.js';
import { flagsAsSeen } from './seen-state.js';
import type { ImapDeps } from './types.js';
import type { ResolvedFolder } from './mailbox-paths.js';

/**
 * The selected folder as one session sees it (RFC 3501 §2.3.1.2): message sequence numbers are
 * positions in `uids`, which changes only when this session is told of a change (EXISTS,
 * EXPUNGE / VANISHED). Changes other sessions make arrive through the change feed and wait here
 * until the session may report them.
 */
export class SelectedFolder {
  /** UIDs in sequence-number order (ascending). */
  uids: number[];
  private readonly expunged = new Set<number>();
  /** UIDs whose flags changed elsewhere, with the new stored flags and mod-sequence when the change carried them. */
  private readonly flagged = new Map<number, { flags: string; modseq: number } | null>();
  /** UIDs the change feed announced since the last report (each message-added change names its UID). */
  private readonly added = new Set<number>();
  /** Mod-sequences this session's own STOREs produced: already reported with their FETCH. */
  private readonly ownModseqs = new Set<number>();
  private unsubscribe: () => void = () => undefined;
  /** The member's own \Seen UIDs when the mailbox keeps \Seen private (seen-state.ts); null when shared. */
  seen: Set<number> | null = null;
  /** Called when a change arrives (IDLE sends it at once). */
  onChange: () => void = () => undefined;

  constructor(
    readonly folder: ResolvedFolder,
    readonly folderId: string,
    readonly uidValidity: number,
    uids: number[],
    /** EXAMINE, or no right to change anything (RFC 4314 §4). */
    readonly readOnly: boolean,
    /** RFC 4314 rights on this folder, as MYRIGHTS gives them. */
    readonly rights: string,
  ) {
    this.uids = uids;
  }

  watch(deps: ImapDeps): void {
    this.unsubscribe = deps.feed.subscribe(this.folder.mailboxId, (change) => this.receive(change));
  }

  close(): void {
    this.unsubscribe();
  }

  get exists(): number {
    return this.uids.length;
  }

  get highestUid(): number {
    return this.uids.length === 0 ? 0 : this.uids[this.uids.length - 1]!;
  }

  /** Marks a mod-sequence as reported by this session, so the feed's echo of it is not repeated. */
  ownChange(modseq: number): void {
    this.ownModseqs.add(modseq);
  }

  private receive(change: MailChange): void {
    if (!('folderId' in change) || change.folderId !== this.folderId) return;
    if (change.kind === 'message-added') this.added.add(change.uid);
    else if (change.kind === 'expunged') for (const uid of change.uids) this.expunged.add(uid);
    else if (change.kind === 'flags-changed') {
      if (this.ownModseqs.delete(change.modseq)) return;
      change.uids.forEach((uid, i) => {
        const flags = change.flags?.[i];
        this.flagged.set(uid, flags === undefined ? null : { flags, modseq: change.modseq });
      });
    } else return;
    this.onChange();
  }

  get hasPending(): boolean {
    return this.added.size > 0 || this.expunged.size > 0 || this.flagged.size > 0;
  }

  /** Position (1-based) of a UID, or 0 when the session does not know it. */
  sequenceOf(uid: number): number {
    let lo = 0;
    let hi = this.uids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = this.uids[mid]!;
      if (value === uid) return mid + 1;
      if (value < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /**
   * The messages a sequence set names, as [sequence, uid] pairs in ascending order. With `byUid`
   * the set holds UIDs ("*" is the highest UID, RFC 3501 §6.4.8) and UIDs not in the folder are
   * ignored; otherwise message numbers, and the caller checks they exist.
   */
  select(set: SequenceSet, byUid: boolean): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    if (this.uids.length === 0) return out;
    if (!byUid) {
      for (const [lo, hi] of resolveSequenceSet(set, this.uids.length)) {
        for (let n = lo; n <= hi; n++) out.push([n, this.uids[n - 1]!]);
      }
      return out;
    }
    for (const [lo, hi] of resolveSequenceSet(set, this.highestUid)) {
      for (let i = this.lowerBound(lo); i < this.uids.length && this.uids[i]! <= hi; i++) out.push([i + 1, this.uids[i]!]);
    }
    return out;
  }

  /** Whether a message-number set names a message beyond EXISTS (RFC 3501 §6.4.8: BAD). */
  outOfRange(set: SequenceSet): boolean {
    // A range with "*" always names the last message (or none in an empty mailbox, RFC 9051 §6.4.5).
    return set.some((r) => r.start !== '*' && r.end !== '*' && Math.max(r.start, r.end) > this.uids.length);
  }

  private lowerBound(uid: number): number {
    let lo = 0;
    let hi = this.uids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.uids[mid]! < uid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Removes UIDs this session expunged itself; returns their former sequence numbers, in the order to report them. */
  removeOwn(uids: readonly number[]): number[] {
    const sequences: number[] = [];
    for (const uid of [...uids].sort((a, b) => a - b)) {
      const n = this.sequenceOf(uid);
      if (n === 0) continue;
      // RFC 3501 §7.4.1: each EXPUNGE renumbers the messages after it, so report from the top.
      sequences.push(n);
    }
    sequences.sort((a, b) => b - a);
    for (const n of sequences) this.uids.splice(n - 1, 1);
    for (const uid of uids) this.expunged.delete(uid);
    return sequences;
  }

  /**
   * The untagged responses for changes made elsewhere since the last report (RFC 3501 §5.2,
   * §7.3.1, §7.4.1; RFC 7162 §3.2.10). `allowExpunge` false holds expunges back (during FETCH,
   * STORE and SEARCH); `qresync` reports them as VANISHED; `condstore` adds MODSEQ to FETCH.
   */
  async pendingResponses(deps: ImapDeps, options: { allowExpunge: boolean; qresync: boolean; condstore: boolean }): Promise<Response[]> {
    const responses: Response[] = [];
    if (options.allowExpunge && this.expunged.size > 0) {
      const gone = [...this.expunged].filter((uid) => this.sequenceOf(uid) > 0).sort((a, b) => a - b);
      this.expunged.clear();
      if (gone.length > 0) {
        if (options.qresync) {
          for (const uid of gone) this.uids.splice(this.sequenceOf(uid) - 1, 1);
          responses.push({ type: 'VANISHED', earlier: false, uids: gone });
        } else {
          for (const n of this.removeOwn(gone)) responses.push({ type: 'EXPUNGE', sequence: n });
        }
      }
    }
    if (this.flagged.size > 0) {
      const known = [...this.flagged].filter(([uid]) => this.sequenceOf(uid) > 0 && !this.expunged.has(uid)).sort((a, b) => a[0] - b[0]);
      this.flagged.clear();
      // The change feed carries the new flags (the STOREs of other sessions): no query. A change
      // without them (another writer) is read from the store.
      const uids = known.filter(([, state]) => state === null).map(([uid]) => uid);
      const rows: Array<{ uid: number; flags: string; modseq: number }> = known.filter(([, state]) => state !== null).map(([uid, state]) => ({ uid, ...state! }));
      if (uids.length > 0) rows.push(...await messagesWithUids(deps.db, this.folderId, uids, ['flags', 'modseq']));
      rows.sort((a, b) => Number(a.uid) - Number(b.uid));
      if (rows.length > 0) {
        const wanted = new Set(known.map(([uid]) => uid));
        for (const row of rows) {
          const uid = Number(row.uid);
          if (!wanted.has(uid)) continue;
          const items: FetchResponseItem[] = [{ type: 'UID', uid }, { type: 'FLAGS', flags: flagsAsSeen(parseFlags(row.flags), uid, this.seen) }];
          if (options.condstore) items.push({ type: 'MODSEQ', modSeq: Number(row.modseq) });
          responses.push({ type: 'FETCH', sequence: this.sequenceOf(uid), items });
        }
      }
    }
    if (this.added.size > 0) {
      // The feed names every new UID, so 1,000 sessions in IDLE learn of a message without 1,000
      // queries. A UID already expunged again is dropped (its expunge was reported above or waits).
      const highest = this.highestUid;
      const fresh = [...this.added].filter((uid) => uid > highest && !this.expunged.has(uid)).sort((a, b) => a - b);
      this.added.clear();
      if (fresh.length > 0) {
        this.uids.push(...fresh);
        responses.push({ type: 'EXISTS', count: this.uids.length });
        // RFC 3501 §7.3.2; no session ever holds \Recent here (RFC 9051 removed it).
        responses.push({ type: 'RECENT', count: 0 });
      }
    }
    return responses;
  }
}
