// FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8; RFC 9051 §6.4.5), with BINARY (RFC 3516),
// CONDSTORE's CHANGEDSINCE (RFC 7162 §3.1.4) and QRESYNC's VANISHED (RFC 7162 §3.2.6).
import type { FetchCommand, Response } from '../../../protocol/imap/index.js';
import { resolveSequenceSet } from '../../../protocol/imap/index.js';
import { changeFlags, messagesWithUids, parseFlags, type MessageColumn, type MessageRow } from '../../../store/mail/message-index.js';
import { fetchItems, planFetch, UnknownTransferEncoding } from '../fetch-items.js';
import { flagsAsSeen, storePrivateSeen } from '../seen-state.js';
import type { Session } from '../session.js';
import type { CommandHandler } from '../types.js';
import { SELECTED, bad, no, ok } from '../types.js';

/** Rows per query: one indexed range scan per chunk of the sequence set. */
const CHUNK = 5000;

/**
 * The rows for [sequence, uid] pairs, in order, a chunk at a time (one query per chunk, and one
 * await per chunk rather than per message). A message expunged by another session since this one
 * last looked has no row: RFC 3501 §7.4.1 lets it vanish quietly from the answer.
 */
export async function* rowsFor(session: Session, pairs: ReadonlyArray<[number, number]>, columns: readonly MessageColumn[]): AsyncGenerator<Array<[number, MessageRow]>> {
  const selected = session.selected!;
  for (let i = 0; i < pairs.length; i += CHUNK) {
    const chunk = pairs.slice(i, i + CHUNK);
    const rows = await messagesWithUids(session.deps.db, selected.folderId, chunk.map(([, uid]) => uid), columns);
    const out: Array<[number, MessageRow]> = [];
    let k = 0;
    for (const [sequence, uid] of chunk) {
      while (k < rows.length && Number(rows[k]!.uid) < uid) k++;
      if (k < rows.length && Number(rows[k]!.uid) === uid) out.push([sequence, rows[k]!]);
    }
    yield out;
  }
}

export const fetch: CommandHandler<FetchCommand> = {
  states: SELECTED,
  // RFC 3501 §7.4.1: no EXPUNGE during FETCH by message number (UID FETCH may have them).
  holdsExpunges: (command) => !command.uid,
  async run(session, command) {
    const selected = session.selected!;
    if (!command.uid && selected.outOfRange(command.sequence)) return bad('Invalid message number: the mailbox has fewer messages');
    if (command.changedSince !== null) session.condstore = true;
    if (command.vanished && !session.qresync) return bad('VANISHED needs QRESYNC enabled (RFC 7162 §3.2.6)');
    const pairs = selected.select(command.sequence, command.uid);
    const plan = planFetch(command.items, session.condstore);
    const mayMarkSeen = plan.setsSeen && !selected.readOnly && selected.rights.includes('s');

    if (command.vanished && command.changedSince !== null) {
      // RFC 7162 §3.2.6: UIDs in the set that are gone, as VANISHED (EARLIER).
      const present = new Set(selected.uids);
      const gone: number[] = [];
      for (const [lo, hi] of resolveSequenceSet(command.sequence, selected.highestUid)) {
        for (let uid = lo; uid <= hi; uid++) if (!present.has(uid)) gone.push(uid);
      }
      if (gone.length > 0) await session.send({ type: 'VANISHED', earlier: true, uids: gone });
    }

    if (!plan.setsSeen && command.items.every((i) => FAST_ITEMS.has(i.type))) {
      await fetchFlagsFast(session, command, pairs, plan.columns);
      return ok(`${command.uid ? 'UID ' : ''}FETCH completed`);
    }

    let batch: Response[] = [];
    let unseenMarked: Map<number, string[]> | null = null;
    try {
      for await (const chunk of rowsFor(session, pairs, mayMarkSeen ? [...plan.columns, 'flags'] : plan.columns)) for (const [sequence, row] of chunk) {
        if (command.changedSince !== null && Number(row.modseq) <= command.changedSince) continue;
        let flags: string[] | undefined;
        if (mayMarkSeen) {
          const uid = Number(row.uid);
          const current = flagsAsSeen(parseFlags(row.flags), uid, selected.seen);
          if (!current.includes('\\Seen')) {
            unseenMarked ??= new Map();
            flags = [...current, '\\Seen'];
            unseenMarked.set(uid, flags);
          }
        }
        const items = await fetchItems(session.deps, row, command.items, { condstore: session.condstore, seen: selected.seen, ...(flags ? { flags } : {}) });
        // RFC 3501 §6.4.5: \Seen set as a side effect is reported with FLAGS.
        if (flags && !command.items.some((i) => i.type === 'FLAGS')) items.push({ type: 'FLAGS', flags });
        batch.push({ type: 'FETCH', sequence, items });
        if (items.some((i) => 'data' in i && i.data !== null && typeof i.data === 'object' && 'stream' in i.data)) {
          await session.sendMany(batch.slice(0, -1));
          await session.send(batch[batch.length - 1]!);
          batch = [];
        } else if (batch.length >= 1000) {
          await session.sendMany(batch);
          batch = [];
        }
      }
    } catch (error) {
      if (error instanceof UnknownTransferEncoding) {
        await session.sendMany(batch);
        return no(error.message, { code: 'UNKNOWN-CTE' });
      }
      throw error;
    }
    await session.sendMany(batch);
    if (unseenMarked) await markSeen(session, [...unseenMarked.keys()]);
    return ok(`${command.uid ? 'UID ' : ''}FETCH completed`);
  },
};

/** Items whose answer is a number or a list of atoms: written as text directly (fetchFlagsFast). */
const FAST_ITEMS = new Set<string>(['UID', 'FLAGS', 'MODSEQ', 'RFC822.SIZE']);

/**
 * FETCH of UID, FLAGS, MODSEQ and RFC822.SIZE only (a client's resync: `UID FETCH 1:* (UID
 * FLAGS)`), formatted straight into text: flags are atoms by construction (the codec checks
 * every flag a client stores), so there is nothing to quote. 100,000 messages in one pass.
 */
async function fetchFlagsFast(session: Session, command: FetchCommand, pairs: ReadonlyArray<[number, number]>, columns: readonly MessageColumn[]): Promise<void> {
  const selected = session.selected!;
  const seen = selected.seen;
  // Each item as a small function of the row, chosen once per command rather than per message.
  const writers: Array<(row: MessageRow) => string> = [];
  for (const item of command.items) {
    switch (item.type) {
      case 'UID': writers.push((row) => `UID ${row.uid}`); break;
      // Stored flags are already "\Seen $Label": shared flags go out as stored.
      case 'FLAGS': writers.push(seen === null ? (row) => `FLAGS (${row.flags})` : (row) => `FLAGS (${flagsAsSeen(parseFlags(row.flags), Number(row.uid), seen).join(' ')})`); break;
      case 'RFC822.SIZE': writers.push((row) => `RFC822.SIZE ${row.size}`); break;
      case 'MODSEQ': writers.push((row) => `MODSEQ (${row.modseq})`); break;
      default: break;
    }
  }
  // RFC 7162 §3.1.4: once CONDSTORE is on, every FETCH carries MODSEQ.
  if (session.condstore && !command.items.some((i) => i.type === 'MODSEQ')) writers.push((row) => `MODSEQ (${row.modseq})`);
  const changedSince = command.changedSince;
  for await (const chunk of rowsFor(session, pairs, columns)) {
    const lines: string[] = [];
    for (const [sequence, row] of chunk) {
      if (changedSince !== null && Number(row.modseq) <= changedSince) continue;
      let line = `* ${sequence} FETCH (`;
      for (let i = 0; i < writers.length; i++) line += (i === 0 ? '' : ' ') + writers[i]!(row);
      lines.push(`${line})\r\n`);
    }
    if (lines.length > 0) await session.connection.sendRaw(Buffer.from(lines.join(''), 'latin1'));
  }
}

/** Sets \Seen on messages a FETCH read (shared flags, or the member's own when \Seen is private). */
async function markSeen(session: Session, uids: number[]): Promise<void> {
  const selected = session.selected!;
  if (selected.seen) {
    await storePrivateSeen(session, selected.folderId, uids, true);
    for (const uid of uids) selected.seen.add(uid);
    await session.deps.durable();
    return;
  }
  const result = await changeFlags(session.deps.db, selected.folderId, uids, { operation: 'add', flags: ['\\Seen'], unchangedSince: null });
  if (result.modseq > 0) selected.ownChange(result.modseq);
  await session.deps.durable();
  session.deps.feed.publish(result.changes);
}
