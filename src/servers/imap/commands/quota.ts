// GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208 §4). Each mailbox is one quota root, named by
// its primary address ("alice@contoso.com", "info@contoso.com"): every folder of a mailbox,
// shared or not, counts against that mailbox's prohibit-send-receive limit.
import { mailboxAccessLevel } from '../../../directory/grants.js';
import { findRecipient, isMailboxKind } from '../../../directory/recipients.js';
import type { GetQuotaCommand, GetQuotaRootCommand, Response, SetQuotaCommand } from '../../../protocol/imap/index.js';
import { mailboxQuota } from '../quota-check.js';
import type { Session } from '../session.js';
import { AUTHENTICATED, no, ok, type CommandHandler } from '../types.js';

/** RFC 9208 §5.1: STORAGE is in units of 1024 octets (usage rounded up, so a used byte shows). */
async function quotaResponse(session: Session, mailboxId: string, root: string): Promise<Response> {
  const quota = await mailboxQuota(session, mailboxId);
  // Only STORAGE has a limit in Mailroom; RFC 9208 §4.2 lists just the resources a root limits.
  return {
    type: 'QUOTA',
    root,
    resources: [{ name: 'STORAGE', usage: Math.ceil(quota.usedBytes / 1024), limit: Math.floor(quota.limitBytes / 1024) }],
  };
}

export const getQuotaRoot: CommandHandler<GetQuotaRootCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const opened = await session.openFolder(command.mailbox);
    if (!opened) return no('No such mailbox', { code: 'NONEXISTENT' });
    const root = opened.resolved.mailboxAddress;
    await session.sendMany([
      { type: 'QUOTAROOT', mailbox: opened.resolved.imapName, roots: [root] },
      await quotaResponse(session, opened.resolved.mailboxId, root),
    ]);
    return ok('GETQUOTAROOT completed');
  },
};

export const getQuota: CommandHandler<GetQuotaCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    // A root the session cannot open looks the same as one that does not exist.
    const mailbox = await findRecipient(session.deps.db, command.root);
    const allowed = mailbox && isMailboxKind(mailbox.kind) && session.principal
      && (await mailboxAccessLevel(session.deps.db, session.principal.id, mailbox.id)) !== null;
    if (!mailbox || !allowed) return no('No such quota root', { code: 'NONEXISTENT' });
    await session.send(await quotaResponse(session, mailbox.id, mailbox.primaryAddress));
    return ok('GETQUOTA completed');
  },
};

export const setQuota: CommandHandler<SetQuotaCommand> = {
  states: AUTHENTICATED,
  // RFC 9208 §4.1: a server may refuse SETQUOTA; limits are set with `mailroom mailbox set --quota-receive`.
  run: async () => no('Quotas are set by an administrator (mailroom mailbox set <address> --quota-receive)', { code: 'NOPERM' }),
};
