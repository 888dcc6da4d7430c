// APPEND (RFC 3501 §6.3.11, RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502: all or none), UIDPLUS's
// APPENDUID (RFC 4315 §3), APPENDLIMIT (RFC 7889), literal8 (RFC 3516) and UTF8 data (RFC 6855 §4).
// A synchronizing literal is checked before "+" is sent (refuseAppendLiteral), so a missing
// mailbox, a missing right, a message too big or over quota never makes the client send its data.
import type { Buffer } from 'node:buffer';
import { BadCommand, describePendingAppend } from '../../../protocol/imap/index.js';
import type { AppendCommand, ReaderEvent } from '../../../protocol/imap/index.js';
import type { StagedBlob } from '../../../store/blob/blob-store.js';
import { defaultFolders, ensureDefaultFolders } from '../../../store/mail/folders.js';
import type { IndexedMessage } from '../../../store/mail/message-writer.js';
import { MessageBatch } from '../../../store/mail/message-batch.js';
import { assertQuota } from '../quota-check.js';
import { isPrivateSeen, storePrivateSeen } from '../seen-state.js';
import type { Session } from '../session.js';
import type { CommandHandler, CommandResult } from '../types.js';
import { AUTHENTICATED, bad, no, ok } from '../types.js';

type OpenedFolder = NonNullable<Awaited<ReturnType<Session['openFolder']>>>;

/**
 * The folder an APPEND, COPY or MOVE writes into, or the refusal: RFC 3501 §6.3.11 / §6.4.7: a
 * mailbox that does not exist (or that the session may not see) is NO [TRYCREATE]; RFC 4314 §4:
 * inserting needs "i".
 */
export async function openTarget(session: Session, name: string): Promise<OpenedFolder | CommandResult> {
  let opened = await session.openFolder(name);
  if (!opened) {
    // RFC 3501 §5.1: INBOX always exists. A mailbox gets its default folders at its first
    // delivery or listing; a client appending before either finds them all the same.
    const resolved = await session.resolve(name);
    if (resolved && defaultFolders.some((f) => f.name === resolved.folderName)) {
      await ensureDefaultFolders(session.deps.db, resolved.mailboxId);
      opened = await session.openFolder(name);
    }
  }
  if (!opened) return no(`No mailbox named ${name.slice(0, 200)}`, { code: 'TRYCREATE' });
  if (!opened.rights.includes('i')) return no('You may not add messages to this mailbox', { code: 'NOPERM' });
  return opened;
}

export const isRefusal = (value: OpenedFolder | CommandResult): value is CommandResult => 'status' in value;

/**
 * The flags a new message may carry in a folder: RFC 4314 §4 lets APPEND and COPY set \Seen only
 * with "s", \Deleted only with "t" and other flags only with "w"; the rest are dropped silently.
 */
export function permittedFlags(flags: readonly string[], rights: string): string[] {
  return flags.filter((flag) => {
    const lower = flag.toLowerCase();
    return rights.includes(lower === '\\seen' ? 's' : lower === '\\deleted' ? 't' : 'w');
  });
}

/**
 * Splits \Seen off when the mailbox keeps it per member (seen-state.ts): the shared flags never
 * hold it. Returns the shared flags and whether the member has seen the message.
 */
export function splitSeen(flags: readonly string[], privateSeen: boolean): { shared: string[]; seen: boolean } {
  const seen = flags.some((f) => f.toLowerCase() === '\\seen');
  return { shared: privateSeen ? flags.filter((f) => f.toLowerCase() !== '\\seen') : [...flags], seen };
}

/** Called on a synchronizing APPEND literal, before "+" (session.ts): a refusal, or null to take the data. */
export async function refuseAppendLiteral(session: Session, event: Extract<ReaderEvent, { type: 'continuation' }>): Promise<CommandResult | null> {
  if (!AUTHENTICATED.includes(session.state)) return bad('APPEND is not allowed before authentication');
  let mailbox: string;
  try {
    mailbox = describePendingAppend(event.args, { utf8: session.utf8 }).mailbox;
  } catch (error) {
    if (error instanceof BadCommand) return bad(error.message);
    throw error;
  }
  const target = await openTarget(session, mailbox);
  if (isRefusal(target)) return target;
  // RFC 7889 §2 (the reader refuses above its limit already; this keeps the two in step).
  if (event.literal.size > session.deps.maxMessageBytes) return no(`The message is larger than ${session.deps.maxMessageBytes} octets`, { code: 'TOOBIG' });
  return assertQuota(session, target.resolved.mailboxId, event.literal.size);
}

/** Every message's octets; streamed literals are taken from the spool (all of them, so none lingers). */
function messageBytes(session: Session, command: AppendCommand): Array<Buffer | null> {
  return command.messages.map((m) => (m.data.kind === 'buffered' ? m.data.data : session.literals.take(m.data.id)));
}

const invalidDate = (date: Date): boolean => Number.isNaN(date.getTime());

export const append: CommandHandler<AppendCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const raws = messageBytes(session, command);
    const target = await openTarget(session, command.mailbox);
    if (isRefusal(target)) return target;
    const { folder, rights, resolved } = target;
    const limit = session.deps.maxMessageBytes;
    let total = 0;
    for (const raw of raws) {
      if (raw === null) return bad('The message data did not arrive whole');
      // RFC 3501 §6.3.11: an empty message is not a message.
      if (raw.length === 0) return no('The message is empty');
      if (raw.length > limit) return no(`The message is larger than ${limit} octets`, { code: 'TOOBIG' });
      total += raw.length;
    }
    for (const m of command.messages) {
      if (m.internalDate && invalidDate(m.internalDate)) return bad('Invalid internal date');
    }
    const overQuota = await assertQuota(session, resolved.mailboxId, total);
    if (overQuota) return overQuota;

    const { deps } = session;
    const indexed: IndexedMessage[] = [];
    for (const raw of raws) {
      try {
        indexed.push(deps.index(raw!));
      } catch (error) {
        session.log.info({ err: error, mailbox: resolved.mailboxAddress }, 'APPEND of an unparsable message');
        return no('The message cannot be parsed', { code: 'PARSE' });
      }
    }
    const staged: StagedBlob[] = [];
    for (const raw of raws) staged.push(await deps.blobs.stage(raw!));

    const privateSeen = await isPrivateSeen(session, resolved.mailboxId);
    const seenByMember: boolean[] = [];
    const batch = new MessageBatch();
    command.messages.forEach((m, i) => {
      const { shared, seen } = splitSeen(permittedFlags(m.flags, rights), privateSeen);
      seenByMember.push(seen);
      // RFC 3501 §6.3.11: without a date-time, the internal date is now.
      const internalDate = (m.internalDate ?? new Date()).toISOString();
      batch.add({ folderId: folder.id, mailboxId: folder.mailbox_id, blob: staged[i]!, indexed: indexed[i]!, flags: shared, internalDate });
    });
    // RFC 3502 §3: every message of a MULTIAPPEND is appended in one transaction, or none is.
    const appended = await deps.db.transaction().execute(async (tx) => {
      await deps.blobs.referenceAll(tx, staged);
      return batch.write(tx, deps.engine);
    });
    const uids = appended.map((a) => a.uid);
    if (privateSeen) {
      const seenUids = uids.filter((_, i) => seenByMember[i]);
      if (seenUids.length > 0) await storePrivateSeen(session, folder.id, seenUids, true);
      if (session.selected?.folderId === folder.id && session.selected.seen) for (const uid of seenUids) session.selected.seen.add(uid);
    }
    deps.feed.publish(appended.map((a) => a.change));
    await deps.durable();
    session.log.info({ mailbox: resolved.mailboxAddress, folder: folder.name, uids, bytes: total }, 'IMAP APPEND');
    // RFC 4315 §3: APPENDUID <uidvalidity> <uid-set>.
    return ok('APPEND completed', { code: 'APPENDUID', uidValidity: Number(folder.uidvalidity), uids });
  },
};
