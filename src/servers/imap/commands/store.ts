// STORE and UID STORE (RFC 3501 §6.4.6, RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3),
// under the folder's rights (RFC 4314 §4: \Seen needs "s", \Deleted "t", other flags "w").
import { Buffer } from 'node:buffer';
import type { StoreCommand } from '../../../protocol/imap/index.js';
import { changeFlags, messagesWithUids, parseFlags } from '../../../store/mail/message-index.js';
import type { Session } from '../session.js';
import { flagsAsSeen, storePrivateSeen } from '../seen-state.js';
import type { CommandHandler } from '../types.js';
import { SELECTED, bad, no, ok } from '../types.js';

function rightFor(flag: string): 's' | 't' | 'w' {
  const lower = flag.toLowerCase();
  return lower === '\\seen' ? 's' : lower === '\\deleted' ? 't' : 'w';
}

/** The flags and mod-sequences of messages as stored (a private-\Seen STORE that changes no shared flag). */
async function currentState(session: Session, uids: readonly number[]): Promise<Map<number, { flags: string; modseq: number }>> {
  const rows = await messagesWithUids(session.deps.db, session.selected!.folderId, [...uids].sort((a, b) => a - b), ['flags', 'modseq']);
  return new Map(rows.map((r) => [Number(r.uid), { flags: r.flags, modseq: Number(r.modseq) }]));
}

export const store: CommandHandler<StoreCommand> = {
  states: SELECTED,
  holdsExpunges: (command) => !command.uid,
  async run(session, command) {
    const selected = session.selected!;
    if (!command.uid && selected.outOfRange(command.sequence)) return bad('Invalid message number: the mailbox has fewer messages');
    if (selected.readOnly) return no('The mailbox is open read-only', { code: 'READ-ONLY' });
    // A replace touches every flag, so it needs every right the flags it could add or drop need.
    const touched = command.operation === 'replace' ? ['\\Seen', '\\Deleted', '$other', ...command.flags] : command.flags;
    const missing = [...new Set(touched.map(rightFor))].filter((r) => !selected.rights.includes(r));
    if (missing.length > 0) {
      return no(missing.includes('t') ? 'You may not delete messages in this mailbox' : 'You may not change these flags in this mailbox', { code: 'NOPERM' });
    }
    if (command.unchangedSince !== null) session.condstore = true;
    const pairs = selected.select(command.sequence, command.uid);
    const uids = pairs.map(([, uid]) => uid);

    // A mailbox with private \Seen: \Seen goes to the member's own state, the rest to the shared flags.
    let sharedFlags = command.flags;
    let seenChange: boolean | null = null;
    if (selected.seen) {
      const wantsSeen = command.flags.some((f) => f.toLowerCase() === '\\seen');
      sharedFlags = command.flags.filter((f) => f.toLowerCase() !== '\\seen');
      if (command.operation === 'replace') seenChange = wantsSeen;
      else if (wantsSeen) seenChange = command.operation === 'add';
    }
    const skipShared = selected.seen !== null && sharedFlags.length === 0 && command.operation !== 'replace';
    const result = skipShared
      ? { changed: [], modified: [], modseq: 0, changes: [], state: await currentState(session, uids) }
      : await changeFlags(session.deps.db, selected.folderId, uids, { operation: command.operation, flags: sharedFlags, unchangedSince: command.unchangedSince });
    if (seenChange !== null && selected.seen) {
      const eligible = uids.filter((uid) => !result.modified.includes(uid));
      await storePrivateSeen(session, selected.folderId, eligible, seenChange);
      for (const uid of eligible) {
        if (seenChange) selected.seen.add(uid);
        else selected.seen.delete(uid);
      }
    }
    if (result.modseq > 0) selected.ownChange(result.modseq);
    await session.deps.durable();
    session.deps.feed.publish(result.changes);

    if (!command.silent || session.condstore) {
      // RFC 3501 §6.4.6: the new flags of every message named; RFC 7162 §3.1.3: with CONDSTORE,
      // MODSEQ too (even after .SILENT, for the messages that changed). Written as text: flags
      // are atoms, and the state comes from the change itself, not a second read.
      const changed = new Set(result.changed.map((c) => c.uid));
      const modified = new Set(result.modified);
      let text = '';
      for (const [sequence, uid] of pairs) {
        const now = result.state.get(uid);
        if (!now || modified.has(uid)) continue;
        if (command.silent && !changed.has(uid)) continue;
        const parts: string[] = [];
        if (command.uid) parts.push(`UID ${uid}`);
        if (!command.silent) parts.push(`FLAGS (${flagsAsSeen(parseFlags(now.flags), uid, selected.seen).join(' ')})`);
        if (session.condstore) parts.push(`MODSEQ (${now.modseq})`);
        text += `* ${sequence} FETCH (${parts.join(' ')})\r\n`;
      }
      if (text !== '') await session.connection.sendRaw(Buffer.from(text, 'latin1'));
    }
    if (result.modified.length > 0) {
      const numbers = command.uid ? result.modified : result.modified.map((uid) => selected.sequenceOf(uid));
      return ok('Some messages were modified since', { code: 'MODIFIED', numbers });
    }
    return ok(`${command.uid ? 'UID ' : ''}STORE completed`);
  },
};
