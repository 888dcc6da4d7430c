// STATUS (RFC 3501 §6.3.10, RFC 9051 §6.3.11; HIGHESTMODSEQ RFC 7162 §3.1.6; SIZE RFC 8438;
// APPENDLIMIT RFC 7889), also used by LIST-STATUS (RFC 5819).
import type { StatusCommand, StatusItem } from '../../../protocol/imap/index.js';
import { folderCounters } from '../../../store/mail/message-index.js';
import type { Folder } from '../../../store/mail/folders.js';
import type { Session } from '../session.js';
import type { CommandHandler } from '../types.js';
import { AUTHENTICATED, no, ok } from '../types.js';
import { seenCounter } from '../seen-state.js';

export async function statusValues(session: Session, folder: Folder, items: readonly StatusItem[]): Promise<Partial<Record<StatusItem, number>>> {
  const needsCounts = items.some((i) => i === 'MESSAGES' || i === 'UNSEEN' || i === 'SIZE' || i === 'DELETED');
  const counts = needsCounts ? await folderCounters(session.deps.db, folder.id) : null;
  const values: Partial<Record<StatusItem, number>> = {};
  for (const item of items) {
    switch (item) {
      case 'MESSAGES': values[item] = counts!.messages; break;
      case 'RECENT': values[item] = 0; break;
      case 'UIDNEXT': values[item] = Number(folder.uidnext); break;
      case 'UIDVALIDITY': values[item] = Number(folder.uidvalidity); break;
      case 'UNSEEN': values[item] = await seenCounter(session, folder, counts!); break;
      case 'HIGHESTMODSEQ': values[item] = Number(folder.highest_modseq); break;
      case 'SIZE': values[item] = counts!.size; break;
      case 'DELETED': values[item] = counts!.deleted; break;
      case 'APPENDLIMIT': values[item] = session.deps.maxMessageBytes; break;
    }
  }
  return values;
}

export const status: CommandHandler<StatusCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await session.openFolder(command.mailbox);
    if (!opened || !opened.rights.includes('r')) return no(`No mailbox named ${command.mailbox.slice(0, 200)}`, { code: 'NONEXISTENT' });
    if (command.items.includes('HIGHESTMODSEQ')) session.condstore = true;
    const items = await statusValues(session, opened.folder, command.items);
    await session.send({ type: 'STATUS', mailbox: command.mailbox, items });
    return ok('STATUS completed');
  },
};
