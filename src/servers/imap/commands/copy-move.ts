// COPY and UID COPY (RFC 3501 §6.4.7, §6.4.8), MOVE and UID MOVE (RFC 6851 §3), with UIDPLUS's
// COPYUID (RFC 4315 §3). A copy is one more row and one more reference to the same blob; a move
// appends the copies and expunges the originals in one transaction (RFC 6851 §3.3: atomic).
import type { CopyCommand } from '../../../protocol/imap/index.js';
import { untagged } from '../../../protocol/imap/index.js';
import type { MailChange } from '../../../store/change-feed.js';
import { expungeMessages } from '../../../store/mail/expunge.js';
import { copyMessages, copySources, type CopyResult } from '../../../store/mail/message-copy.js';
import { assertQuota } from '../quota-check.js';
import { isPrivateSeen, storePrivateSeen } from '../seen-state.js';
import type { Session } from '../session.js';
import type { CommandHandler, CommandResult } from '../types.js';
import { SELECTED, bad, no, ok } from '../types.js';
import { isRefusal, openTarget, permittedFlags, splitSeen } from './append.js';
import { reportOwnExpunges } from './expunge.js';

async function transfer(session: Session, command: CopyCommand): Promise<CommandResult> {
  const selected = session.selected!;
  const label = `${command.uid ? 'UID ' : ''}${command.name}`;
  const moving = command.name === 'MOVE';
  // RFC 3501 §6.4.8 (as for FETCH): a message number beyond EXISTS is a client error.
  if (!command.uid && selected.outOfRange(command.sequence)) return bad('Invalid message number: the mailbox has fewer messages');
  if (moving) {
    // RFC 6851 §3.3 with RFC 4314 §4: moving out deletes from the source, which needs "t" and "e".
    if (!selected.rights.includes('t') || !selected.rights.includes('e')) return no('You may not move messages out of this mailbox', { code: 'NOPERM' });
    if (selected.readOnly) return no('The mailbox is open read-only (EXAMINE)', { code: 'READ-ONLY' });
  }
  const target = await openTarget(session, command.mailbox);
  if (isRefusal(target)) return target;
  const { folder, rights, resolved } = target;

  const uids = selected.select(command.sequence, command.uid).map(([, uid]) => uid);
  const { deps } = session;
  const sources = await copySources(deps.db, selected.folderId, uids);
  if (sources.length < uids.length && !command.uid) {
    // RFC 9051 §6.4.7 / RFC 5530: a message expunged by another session cannot be copied.
    return no('Some of the messages have been expunged', { code: 'EXPUNGEISSUED' });
  }
  // RFC 4315 §3 / RFC 6851 §4.3: a UID set naming no message is not an error.
  if (sources.length === 0) return ok(`${label} completed`);

  const sameMailbox = resolved.mailboxId === selected.folder.mailboxId;
  // A move inside one mailbox adds nothing to its usage (RFC 9208 §5.1: quota on the destination).
  if (!(moving && sameMailbox)) {
    const overQuota = await assertQuota(session, resolved.mailboxId, sources.reduce((sum, s) => sum + s.size, 0));
    if (overQuota) return overQuota;
  }

  // The flags as this session sees them (its own \Seen when the source keeps \Seen per member).
  const sourceSeen = selected.seen;
  const asSeen = (uid: number, flags: string[]): string[] => {
    if (sourceSeen === null) return flags;
    const shared = flags.filter((f) => f.toLowerCase() !== '\\seen');
    return sourceSeen.has(uid) ? [...shared, '\\Seen'] : shared;
  };
  const privateTarget = await isPrivateSeen(session, resolved.mailboxId);
  const seenCopies = new Set<number>();
  const flagsOf = (source: { uid: number; flags: string[] }): string[] => {
    const { shared, seen } = splitSeen(permittedFlags(asSeen(source.uid, source.flags), rights), privateTarget);
    if (seen) seenCopies.add(source.uid);
    return shared;
  };

  let copied: CopyResult;
  let changes: MailChange[];
  let expunged: number[] = [];
  if (moving) {
    ({ copied, changes, expunged } = await deps.db.transaction().execute(async (tx) => {
      const done = await copyMessages(tx, deps.engine, deps.blobs, sources, folder, flagsOf);
      const gone = await expungeMessages(tx, deps.engine, {
        folderId: selected.folderId, uids: sources.map((s) => s.uid), actor: session.principal!, purpose: 'move',
      });
      return { copied: done, changes: [...done.changes, ...gone.changes], expunged: gone.expunged.map((m) => m.uid) };
    }));
  } else {
    copied = await deps.db.transaction().execute((tx) => copyMessages(tx, deps.engine, deps.blobs, sources, folder, flagsOf));
    changes = copied.changes;
  }
  if (privateTarget) {
    const seenUids = copied.pairs.filter(([from]) => seenCopies.has(from)).map(([, to]) => to);
    if (seenUids.length > 0) await storePrivateSeen(session, folder.id, seenUids, true);
  }
  deps.feed.publish(changes);
  await deps.durable();
  session.log.info({ mailbox: resolved.mailboxAddress, folder: folder.name, from: selected.folder.mailboxAddress, count: copied.pairs.length }, `IMAP ${label}`);

  const code = {
    code: 'COPYUID' as const,
    uidValidity: Number(folder.uidvalidity),
    sourceUids: copied.pairs.map(([from]) => from),
    destinationUids: copied.pairs.map(([, to]) => to),
  };
  if (!moving) return ok(`${label} completed`, code);
  // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGE (or VANISHED) responses.
  await session.send(untagged('OK', 'Moved', code));
  // RFC 6851 §3.3: the moved messages are reported expunged (VANISHED with QRESYNC).
  await reportOwnExpunges(session, expunged);
  return ok(`${label} completed`);
}

export const copy: CommandHandler<CopyCommand> = {
  states: SELECTED,
  // RFC 3501 §7.4.1: no EXPUNGE during COPY by sequence number (the numbers must stay valid).
  holdsExpunges: (command) => !command.uid && command.name === 'COPY',
  run: (session, command) => transfer(session, command),
};

export const move = copy;
