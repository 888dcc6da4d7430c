// SELECT and EXAMINE (RFC 3501 §6.3.1–2, RFC 9051 §6.3.2), with CONDSTORE (RFC 7162 §3.1.2) and
// QRESYNC (RFC 7162 §3.2.5); CLOSE and UNSELECT (RFC 3501 §6.4.2, RFC 3691).
import type { NoArgumentCommand, Response, SelectCommand } from '../../../protocol/imap/index.js';
import { resolveSequenceSet, untagged } from '../../../protocol/imap/index.js';
import { expungeMessages } from '../../../store/mail/expunge.js';
import { deletedUids, folderUids, messagesInRange, parseFlags } from '../../../store/mail/message-index.js';
import { opensReadOnly } from '../rights.js';
import { flagsAsSeen, isPrivateSeen, privateSeenUids } from '../seen-state.js';
import { SelectedFolder } from '../selected-folder.js';
import type { Session } from '../session.js';
import type { CommandHandler } from '../types.js';
import { AUTHENTICATED, SELECTED, no, ok } from '../types.js';

/** System flags and keywords may be set; "\*" says new keywords can be created (RFC 3501 §7.1). */
const FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '$Forwarded', '$MDNSent', '$Junk', '$NotJunk'];

export const select: CommandHandler<SelectCommand> = {
  states: AUTHENTICATED,
  async run(session, command, tag) {
    // RFC 3501 §6.3.1: a SELECT first closes the selected mailbox, even when it then fails;
    // RFC 7162 §3.2.11: with QRESYNC, that closing is announced with OK [CLOSED].
    if (session.selected) {
      session.deselect();
      if (session.qresync) await session.send(untagged('OK', 'Previous mailbox closed', { code: 'CLOSED' }));
    }
    if (command.qresync && !session.qresync) return no('Enable QRESYNC first (RFC 7162 §3.2.5)', { code: 'CLIENTBUG' });
    const opened = await session.openFolder(command.mailbox);
    if (!opened || !opened.rights.includes('r')) return no(`No mailbox named ${command.mailbox.slice(0, 200)}`, { code: 'NONEXISTENT' });
    const { resolved, folder, rights } = opened;
    if (command.condstore) session.condstore = true;
    const readOnly = command.name === 'EXAMINE' || opensReadOnly(rights);
    const selected = new SelectedFolder(resolved, folder.id, Number(folder.uidvalidity), [], readOnly, rights);
    // Listen first, then read the UIDs: a change committed in between is then both in the list or
    // not, and announced; announcing what the list already holds is filtered out (selected-folder.ts).
    selected.watch(session.deps);
    try {
      const cache = session.deps.uidCache;
      selected.uids = cache ? await cache.uids(folder) : await folderUids(session.deps.db, folder.id);
      if (await isPrivateSeen(session, resolved.mailboxId)) selected.seen = await privateSeenUids(session, folder.id);
    } catch (error) {
      selected.close();
      throw error;
    }
    session.selected = selected;
    session.state = 'selected';

    const responses: Response[] = [
      { type: 'FLAGS', flags: FLAGS },
      untagged('OK', 'Flags permitted', { code: 'PERMANENTFLAGS', flags: readOnly ? [] : [...FLAGS, '\\*'] }),
      { type: 'EXISTS', count: selected.exists },
      { type: 'RECENT', count: 0 },
      untagged('OK', 'UIDs valid', { code: 'UIDVALIDITY', value: Number(folder.uidvalidity) }),
      untagged('OK', 'Predicted next UID', { code: 'UIDNEXT', value: Number(folder.uidnext) }),
      // RFC 7162 §3.1.2.1: a server with CONDSTORE sends HIGHESTMODSEQ on every SELECT.
      untagged('OK', 'Highest', { code: 'HIGHESTMODSEQ', value: Number(folder.highest_modseq) }),
    ];
    await session.sendMany(responses);
    if (command.qresync && command.qresync.uidValidity === selected.uidValidity) await resynchronize(session, command.qresync);
    void tag;
    return ok(`${command.name} completed`, { code: readOnly ? 'READ-ONLY' : 'READ-WRITE' });
  },
};

/**
 * RFC 7162 §3.2.5.2: what changed since the client's mod-sequence: VANISHED (EARLIER) for the
 * known UIDs that are gone, then FETCH for the messages changed since.
 */
async function resynchronize(session: Session, params: NonNullable<SelectCommand['qresync']>): Promise<void> {
  const selected = session.selected!;
  const present = new Set(selected.uids);
  const highest = Math.max(selected.highestUid, 1);
  const known = params.knownUids ? resolveSequenceSet(params.knownUids, highest) : [[1, highest] as [number, number]];
  const vanished: number[] = [];
  for (const [lo, hi] of known) {
    for (let uid = lo; uid <= Math.min(hi, selected.highestUid); uid++) if (!present.has(uid)) vanished.push(uid);
  }
  if (vanished.length > 0) await session.send({ type: 'VANISHED', earlier: true, uids: vanished });
  if (selected.uids.length === 0) return;
  const rows = await messagesInRange(session.deps.db, selected.folderId, selected.uids[0]!, selected.highestUid, ['flags', 'modseq']);
  const responses: Response[] = [];
  for (const row of rows) {
    if (Number(row.modseq) <= params.modSeq) continue;
    const uid = Number(row.uid);
    responses.push({
      type: 'FETCH',
      sequence: selected.sequenceOf(uid),
      items: [{ type: 'UID', uid }, { type: 'FLAGS', flags: flagsAsSeen(parseFlags(row.flags), uid, selected.seen) }, { type: 'MODSEQ', modSeq: Number(row.modseq) }],
    });
  }
  await session.sendMany(responses);
}

/** RFC 3501 §6.4.2: CLOSE expunges \Deleted messages silently (unless read-only), then deselects. */
export const close: CommandHandler<NoArgumentCommand<'CLOSE'>> = {
  states: SELECTED,
  async run(session) {
    const selected = session.selected!;
    if (!selected.readOnly && selected.rights.includes('e')) {
      const deleted = await deletedUids(session.deps.db, selected.folderId);
      if (deleted.length > 0) {
        const result = await expungeMessages(session.deps.db, session.deps.engine, { folderId: selected.folderId, uids: deleted, actor: session.principal! });
        await session.deps.durable();
        session.deps.feed.publish(result.changes);
      }
    }
    session.deselect();
    return ok('CLOSE completed');
  },
};

/** RFC 3691: deselects without expunging. */
export const unselect: CommandHandler<NoArgumentCommand<'UNSELECT'>> = {
  states: SELECTED,
  async run(session) {
    session.deselect();
    return ok('UNSELECT completed');
  },
};
