// LIST (RFC 3501 §6.3.8, RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819),
// SPECIAL-USE (RFC 6154), CHILDREN (RFC 3348); LSUB (RFC 3501 §6.3.9).
import type { ListCommand, LsubCommand, Response } from '../../../protocol/imap/index.js';
import { findFolder } from '../../../store/mail/folders.js';
import { hasChildren, namePattern, visibleMailboxes, type ListedMailbox } from '../folder-listing.js';
import { DELIMITER, SHARED_ROOT } from '../mailbox-paths.js';
import type { Session } from '../session.js';
import { isSubscribed, loadSubscriptions } from '../subscriptions.js';
import type { CommandHandler } from '../types.js';
import { AUTHENTICATED, ok } from '../types.js';
import { statusValues } from './status.js';

export const list: CommandHandler<ListCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    // RFC 3501 §6.3.8: an empty pattern asks for the delimiter and the root of the reference.
    if (!command.extended && command.patterns.length === 1 && command.patterns[0] === '') {
      await session.send({ type: 'LIST', attributes: ['\\Noselect'], delimiter: DELIMITER, mailbox: '' });
      return ok('LIST completed');
    }
    const matchers = command.patterns.map((p) => namePattern(command.reference, p));
    const matches = (name: string): boolean => matchers.some((m) => m(name));
    const all = await visibleMailboxes(session);
    const names = all.map((m) => m.name);
    const subscriptions = await loadSubscriptions(session);
    const subscribed = (m: ListedMailbox): boolean => isSubscribed(subscriptions, m.name, m.subscribedByDefault);
    const { selection, returnOptions } = command;
    const wantSubscribed = selection.subscribed || returnOptions.subscribed;
    const responses: Response[] = [];
    const listed = new Set<string>();

    // The namespace root "Shared" is listed for "%" (a client walking the hierarchy needs it) but
    // not for "*", which already lists every mailbox below it: Thunderbird takes a listed root for
    // a personal folder, asks MYRIGHTS of "Shared/Shared" and alerts the user when that fails.
    const omitRoot = command.patterns.every((p) => p.includes('*'));
    for (const mailbox of all) {
      if (omitRoot && mailbox.name === SHARED_ROOT) continue;
      const attributes: string[] = [];
      if (!mailbox.selectable) attributes.push('\\Noselect');
      attributes.push(hasChildren(mailbox.name, names) ? '\\HasChildren' : '\\HasNoChildren');
      if (mailbox.specialUse) attributes.push(mailbox.specialUse);
      const isSub = subscribed(mailbox);
      if (wantSubscribed && isSub) attributes.push('\\Subscribed');
      if (!matches(mailbox.name)) continue;
      if (selection.specialUse && !mailbox.specialUse) continue;
      let childInfo: string[] | undefined;
      if (selection.subscribed && !isSub) {
        // RFC 5258 §3.5: RECURSIVEMATCH lists a parent whose children are subscribed, with CHILDINFO.
        const subscribedChild = selection.recursiveMatch && all.some((m) => m.name.startsWith(`${mailbox.name}${DELIMITER}`) && subscribed(m));
        if (!subscribedChild) continue;
        childInfo = ['SUBSCRIBED'];
      }
      listed.add(mailbox.name);
      responses.push({ type: 'LIST', attributes, delimiter: DELIMITER, mailbox: mailbox.name, ...(childInfo ? { childInfo } : {}) });
      if (returnOptions.status && mailbox.selectable && mailbox.resolved) {
        // RFC 5819 §2: STATUS right after the LIST of each selectable mailbox.
        const folder = await findFolder(session.deps.db, mailbox.resolved.mailboxId, mailbox.resolved.folderName);
        if (folder) responses.push({ type: 'STATUS', mailbox: mailbox.name, items: await statusValues(session, folder, returnOptions.status) });
      }
    }
    // RFC 5258 §3.1: with SUBSCRIBED, subscribed names that do not exist are listed \NonExistent.
    if (selection.subscribed) {
      for (const name of subscriptions.subscribed) {
        if (listed.has(name) || names.includes(name) || !matches(name)) continue;
        responses.push({ type: 'LIST', attributes: ['\\NonExistent', '\\Subscribed'], delimiter: DELIMITER, mailbox: name });
      }
    }
    await session.sendMany(responses);
    return ok('LIST completed');
  },
};

export const lsub: CommandHandler<LsubCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const matches = namePattern(command.reference, command.pattern);
    const all = await visibleMailboxes(session);
    const subscriptions = await loadSubscriptions(session);
    const names = all.map((m) => m.name);
    const responses: Response[] = [];
    const seen = new Set<string>();
    const omitRoot = command.pattern.includes('*');
    for (const mailbox of all) {
      if (omitRoot && mailbox.name === SHARED_ROOT) continue;
      if (!matches(mailbox.name) || !isSubscribed(subscriptions, mailbox.name, mailbox.subscribedByDefault)) continue;
      seen.add(mailbox.name);
      const attributes = mailbox.selectable ? [] : ['\\Noselect'];
      attributes.push(hasChildren(mailbox.name, names) ? '\\HasChildren' : '\\HasNoChildren');
      responses.push({ type: 'LSUB', attributes, delimiter: DELIMITER, mailbox: mailbox.name });
    }
    for (const name of subscriptions.subscribed) {
      if (!seen.has(name) && matches(name)) responses.push({ type: 'LSUB', attributes: [], delimiter: DELIMITER, mailbox: name });
    }
    await session.sendMany(responses);
    return ok('LSUB completed');
  },
};
