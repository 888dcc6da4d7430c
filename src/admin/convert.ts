import { InvalidInput } from '../core/errors.js';
import { assertPasswordAcceptable, getAccountState, hashPassword, setPasswordHash, setRoles, setSignInBlocked } from '../directory/accounts.js';
import { updateRecipient, requireRecipient } from '../directory/recipients.js';
import { changeAudited, requireAdmin, type AdminContext } from './context.js';
import { accountView, type AccountView } from './views.js';

/**
 * Converts between user and shared mailbox. Mail, addresses and grants stay. To shared:
 * sign-in is blocked and roles are dropped (a shared mailbox is not a person). To user:
 * a new password is required and sign-in is unblocked.
 */
export async function convertMailbox(ctx: AdminContext, address: string, to: 'shared' | 'user', password?: string): Promise<AccountView> {
  requireAdmin(ctx.actor, 'recipients');
  if (to !== 'shared' && to !== 'user') throw new InvalidInput(`A mailbox converts to "shared" or "user", not "${String(to)}".`, 'to');
  if (to === 'user') {
    if (!password) throw new InvalidInput('Set a password for the user account when converting a shared mailbox to a user mailbox.', 'password');
    assertPasswordAcceptable(password);
  }
  const passwordHash = password && to === 'user' ? await hashPassword(password) : undefined;
  return changeAudited(ctx, async (tx, audit) => {
    const mailbox = await requireRecipient(tx, address, [to === 'shared' ? 'user' : 'shared']);
    const before = await accountView(tx, mailbox);
    if (to === 'shared') {
      if ((await getAccountState(tx, mailbox.id))?.roles.length) {
        throw new InvalidInput(`"${mailbox.primaryAddress}" holds an admin role. Remove its roles before converting it to a shared mailbox.`, 'address');
      }
      await setRoles(tx, mailbox.id, []);
      await setSignInBlocked(tx, mailbox.id, true);
    } else {
      await setPasswordHash(tx, mailbox.id, passwordHash!);
      await setSignInBlocked(tx, mailbox.id, false);
    }
    await updateRecipient(tx, mailbox.id, { kind: to });
    const after = await accountView(tx, (await requireRecipient(tx, mailbox.primaryAddress))!);
    await audit({ action: 'mailbox.convert', target: mailbox.primaryAddress, before, after });
    return after;
  });
}
