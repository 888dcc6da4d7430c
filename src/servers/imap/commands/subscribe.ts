// SUBSCRIBE and UNSUBSCRIBE (RFC 3501 §6.3.6–7). Folders start subscribed (subscriptions.ts).
import type { SubscribeCommand } from '../../../protocol/imap/index.js';
import { parseImapName } from '../mailbox-paths.js';
import type { Session } from '../session.js';
import { setSubscription } from '../subscriptions.js';
import { AUTHENTICATED, no, ok, type CommandHandler } from '../types.js';

/** The name as LIST shows it, so LSUB and LIST (SUBSCRIBED) find the row under the same name. */
async function canonicalName(session: Session, name: string): Promise<string> {
  const parsed = parseImapName(name);
  if (parsed.kind === 'personal') return parsed.folder;
  const resolved = await session.resolve(name);
  return resolved?.imapName ?? name;
}

export const subscribe: CommandHandler<SubscribeCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const name = await canonicalName(session, command.mailbox);
    if (command.name === 'SUBSCRIBE') {
      // RFC 3501 §6.3.6: a server MAY refuse a name that does not exist. Refusing one the session
      // cannot open keeps a subscription from telling whether a shared mailbox exists.
      if (!(await session.openFolder(name))) return no('No such mailbox', { code: 'NONEXISTENT' });
    }
    // RFC 3501 §6.3.7: UNSUBSCRIBE of any name is allowed (a deleted folder's subscription goes too).
    await setSubscription(session, name, command.name === 'SUBSCRIBE');
    await session.deps.durable();
    return ok(`${command.name} completed`);
  },
};
