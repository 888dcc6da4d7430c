// EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1). Deleting is for everyone: the
// messages go for every member, stay recoverable (store/mail/expunge.ts) and a delegate's
// expunge is audited there.
import type { ExpungeCommand, Response } from '../../../protocol/imap/index.js';
import { expungeMessages } from '../../../store/mail/expunge.js';
import { deletedUids } from '../../../store/mail/message-index.js';
import type { Session } from '../session.js';
import type { CommandHandler } from '../types.js';
import { SELECTED, no, ok } from '../types.js';

/** Expunges the session's \Deleted messages (within `uids` when given) and reports them. */
export async function expungeDeleted(session: Session, uids: ReadonlySet<number> | null): Promise<void> {
  const selected = session.selected!;
  if (selected.uids.length === 0) return;
  const doomed = (await deletedUids(session.deps.db, selected.folderId)).filter((uid) => uids === null || uids.has(uid));
  if (doomed.length === 0) return;
  const result = await expungeMessages(session.deps.db, session.deps.engine, { folderId: selected.folderId, uids: doomed, actor: session.principal! });
  await session.deps.durable();
  session.deps.feed.publish(result.changes);
  await reportOwnExpunges(session, result.expunged.map((m) => m.uid));
}

/**
 * Reports messages this session expunged (EXPUNGE, MOVE) and drops them from its view: EXPUNGE
 * responses, or VANISHED once QRESYNC is enabled (RFC 7162 §3.2.10).
 */
export async function reportOwnExpunges(session: Session, gone: readonly number[]): Promise<void> {
  const selected = session.selected!;
  if (session.qresync) {
    const present = gone.filter((uid) => selected.sequenceOf(uid) > 0);
    selected.removeOwn(present);
    if (present.length > 0) await session.send({ type: 'VANISHED', earlier: false, uids: present });
    return;
  }
  const responses: Response[] = selected.removeOwn(gone).map((sequence) => ({ type: 'EXPUNGE', sequence }));
  await session.sendMany(responses);
}

export const expunge: CommandHandler<ExpungeCommand> = {
  states: SELECTED,
  async run(session, command) {
    const selected = session.selected!;
    if (selected.readOnly) return no('The mailbox is open read-only', { code: 'READ-ONLY' });
    // RFC 4314 §4: EXPUNGE needs "e".
    if (!selected.rights.includes('e')) return no('You may not delete messages in this mailbox', { code: 'NOPERM' });
    const uids = command.uids === null ? null : new Set(selected.select(command.uids, true).map(([, uid]) => uid));
    await expungeDeleted(session, uids);
    return ok(`${command.uids === null ? '' : 'UID '}EXPUNGE completed`);
  },
};
