import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { addAddress } from '../../admin/addresses.js';
import { convertMailbox } from '../../admin/convert.js';
import { addAcceptedDomain } from '../../admin/domains.js';
import { addGroup } from '../../admin/groups.js';
import { showMailboxSettings, updateMailboxSettings } from '../../admin/mailbox-settings.js';
import { addMembers, listMembers } from '../../admin/members.js';
import { addPermission, listPermissions } from '../../admin/permissions.js';
import {
  addSharedMailbox, listSharedMailboxes, removeSharedMailbox, showSharedMailbox, suggestSharedAddress,
} from '../../admin/shared-mailboxes.js';
import { signIn } from '../../admin/sign-in.js';
import { addUser, listAccounts, resetPassword, setSignIn, showAccount } from '../../admin/users.js';
import { AccountLocked, InvalidInput, NotFound, Unauthenticated } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { authenticate } from '../../directory/accounts.js';
import { principalForToken } from '../../directory/tokens.js';
import { addBob, addUsers, adminAddress, assertRefusal, audited, lastAudit, orgTest, refused, type OpenStore } from './harness.js';

const tooShort = 'A password must be 8 to 256 characters long.';

/** Shared mailboxes, sign-in blocking and conversion, on a fresh database per test. */
export function defineMailboxConformance(name: string, open: OpenStore): void {
  describe(`${name} mailbox conformance: shared mailboxes`, () => {
    orgTest(open, 'creates a shared mailbox from a name, blocked from the start', async (org) => {
      const { result: sales, entries } = await audited(org, 'shared.add', 'salesteam@contoso.com', () => addSharedMailbox(org.admin, { displayName: 'Sales Team' }));
      assert.deepEqual(
        { kind: sales.kind, alias: sales.alias, primaryAddress: sales.primaryAddress, signInBlocked: sales.signInBlocked, roles: sales.roles, members: sales.members, memberCount: sales.memberCount },
        { kind: 'shared', alias: 'salesteam', primaryAddress: 'salesteam@contoso.com', signInBlocked: true, roles: [], members: [], memberCount: 0 },
      );
      assert.deepEqual(entries[0]?.after, sales);
      assert.deepEqual(await showSharedMailbox(org.admin, 'SalesTeam@contoso.com'), sales);
      assert.deepEqual(await listSharedMailboxes(org.admin), [sales]);
      assert.deepEqual((await listAccounts(org.admin)).map((a) => a.primaryAddress), [adminAddress], 'active users leave shared mailboxes out');
      assert.deepEqual((await listAccounts(org.admin, { includeShared: true })).map((a) => a.primaryAddress), [adminAddress, 'salesteam@contoso.com']);

      assert.equal(await suggestSharedAddress(org.admin, 'Équipe Ventes'), 'equipeventes@contoso.com');
      await addAcceptedDomain(org.admin, 'fabrikam.com');
      assert.equal(await suggestSharedAddress(org.admin, 'Équipe Ventes', 'Fabrikam.com'), 'equipeventes@fabrikam.com');
      await assertRefusal(() => suggestSharedAddress(org.admin, 'Équipe Ventes', 'tailspin.example'), InvalidInput, messages.domainNotAccepted('tailspin.example'));
      await assertRefusal(() => suggestSharedAddress(org.admin, '!!!'), InvalidInput, 'The name has no letters or digits to make an address from. Enter the address yourself.');
      assert.equal((await addSharedMailbox(org.admin, { displayName: 'Équipe Ventes' })).primaryAddress, 'equipeventes@contoso.com');
      const explicit = await addSharedMailbox(org.admin, { displayName: 'Équipe Ventes', address: 'ventes@fabrikam.com' });
      assert.deepEqual([explicit.primaryAddress, explicit.displayName, explicit.signInBlocked], ['ventes@fabrikam.com', 'Équipe Ventes', true]);
      await refused(org, () => addSharedMailbox(org.admin, { displayName: 'Ventes', address: 'ventes@tailspin.example' }), InvalidInput, messages.domainNotAccepted('tailspin.example'));

      const removal = await audited(org, 'shared.remove', 'salesteam@contoso.com', () => removeSharedMailbox(org.admin, 'salesteam@contoso.com'));
      assert.deepEqual(removal.entries[0]?.before, sales);
      await assertRefusal(() => showSharedMailbox(org.admin, 'salesteam@contoso.com'), NotFound, messages.unknownRecipient('salesteam@contoso.com'));
      await refused(org, () => removeSharedMailbox(org.admin, adminAddress), NotFound, messages.unknownRecipient(adminAddress));
    });

    orgTest(open, 'nobody signs in to a shared mailbox until it is unblocked explicitly', async (org) => {
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      await assertRefusal(() => authenticate(org.db, 'salesteam@contoso.com', 'Anything-123'), Unauthenticated, messages.badCredentials);
      const { result: reset } = await audited(org, 'user.set-password', 'salesteam@contoso.com', () => resetPassword(org.admin, 'salesteam@contoso.com', 'Shared-pass-1'));
      assert.equal(reset.signInBlocked, true, 'a reset never unblocks a shared mailbox');
      await assertRefusal(() => authenticate(org.db, 'salesteam@contoso.com', 'Shared-pass-1'), AccountLocked, messages.accountLocked);
      await assertRefusal(() => signIn(org.db, 'salesteam@contoso.com', 'Shared-pass-1', 3600), AccountLocked, messages.accountLocked);

      const { result } = await audited(org, 'user.unblock', 'salesteam@contoso.com', () => setSignIn(org.admin, ['salesteam@contoso.com'], false));
      assert.deepEqual(result, [{ address: 'salesteam@contoso.com', signInBlocked: false, changed: true, sharedMailbox: true }]);
      const principal = await authenticate(org.db, 'salesteam@contoso.com', 'Shared-pass-1');
      assert.deepEqual([principal.kind, principal.roles], ['shared', []]);
      assert.equal((await showSharedMailbox(org.admin, 'salesteam@contoso.com')).signInBlocked, false);
    });
  });

  describe(`${name} mailbox conformance: sign-in blocking`, () => {
    orgTest(open, 'blocks and unblocks many accounts at once', async (org) => {
      await addUsers(org, 'Ann', 'Ben', 'Cat');
      const session = await signIn(org.db, 'ann@contoso.com', 'Ann-pass-123', 3600);
      assert.equal((await principalForToken(org.db, session.token)).address, 'ann@contoso.com');
      assert.equal((await lastAudit(org, 'session.sign-in', 'ann@contoso.com')).actor, 'ann@contoso.com');

      const blocked = await setSignIn(org.admin, ['ann@contoso.com', 'BEN@contoso.com', 'cat', 'ann@contoso.com'], true);
      assert.deepEqual(blocked, ['ann', 'ben', 'cat'].map((n) => ({ address: `${n}@contoso.com`, signInBlocked: true, changed: true, sharedMailbox: false })));
      for (const n of ['ann', 'ben', 'cat']) {
        assert.equal((await showAccount(org.admin, `${n}@contoso.com`)).signInBlocked, true);
        const entry = await lastAudit(org, 'user.block', `${n}@contoso.com`);
        assert.deepEqual([entry.actor, entry.before, entry.after], [adminAddress, { signInBlocked: false }, { signInBlocked: true }]);
      }
      await assertRefusal(() => authenticate(org.db, 'ann@contoso.com', 'Ann-pass-123'), AccountLocked, messages.accountLocked);
      // The password is checked first, so "locked" never tells a stranger that an address exists.
      await assertRefusal(() => authenticate(org.db, 'ann@contoso.com', 'Wrong-pass-1'), Unauthenticated, messages.badCredentials);
      await assertRefusal(() => principalForToken(org.db, session.token), AccountLocked, messages.accountLocked);

      const again = await setSignIn(org.admin, ['ann@contoso.com'], true);
      assert.deepEqual(again.map((r) => r.changed), [false]);
      const unblocked = await setSignIn(org.admin, ['ann@contoso.com', 'ben@contoso.com'], false);
      assert.deepEqual(unblocked.map((r) => [r.address, r.signInBlocked, r.changed]), [['ann@contoso.com', false, true], ['ben@contoso.com', false, true]]);
      assert.equal((await authenticate(org.db, 'ann@contoso.com', 'Ann-pass-123')).address, 'ann@contoso.com');
      // Unblocking does not revive the sessions that were open when the account was blocked.
      await assertRefusal(() => principalForToken(org.db, session.token), Unauthenticated, messages.signInRequired);
      await assertRefusal(() => authenticate(org.db, 'cat@contoso.com', 'Cat-pass-123'), AccountLocked, messages.accountLocked);
    });

    orgTest(open, 'one unknown address refuses the whole request', async (org) => {
      await addUsers(org, 'Ann', 'Ben');
      await addGroup(org.admin, { address: 'staff@contoso.com', displayName: 'Staff', type: 'distribution' });
      await refused(org, () => setSignIn(org.admin, ['ann@contoso.com', 'nobody@contoso.com', 'ben@contoso.com'], true), NotFound, messages.unknownRecipient('nobody@contoso.com'));
      await refused(org, () => setSignIn(org.admin, ['ann@contoso.com', 'staff@contoso.com'], true), NotFound, messages.unknownRecipient('staff@contoso.com'));
      await refused(org, () => setSignIn(org.admin, [], true), InvalidInput, 'Give at least one account.');
      for (const n of ['Ann', 'Ben']) assert.equal((await authenticate(org.db, `${n.toLowerCase()}@contoso.com`, `${n}-pass-123`)).displayName, n);
    });

    orgTest(open, 'a new password ends the sessions of the old one', async (org) => {
      await addUsers(org, 'Ann');
      const session = await signIn(org.db, 'ann@contoso.com', 'Ann-pass-123', 3600);
      await resetPassword(org.admin, 'ann@contoso.com', 'Ann-pass-456');
      await assertRefusal(() => principalForToken(org.db, session.token), Unauthenticated, messages.signInRequired);
      await assertRefusal(() => authenticate(org.db, 'ann@contoso.com', 'Ann-pass-123'), Unauthenticated, messages.badCredentials);
      assert.equal((await authenticate(org.db, 'ann@contoso.com', 'Ann-pass-456')).address, 'ann@contoso.com');
    });
  });

  describe(`${name} mailbox conformance: converting mailboxes`, () => {
    orgTest(open, 'a user becomes a shared mailbox: sign-in blocked, addresses, grants and settings kept', async (org) => {
      await addBob(org);
      await addUsers(org, 'Carol');
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      await addAddress(org.admin, 'bob@contoso.com', 'robert@contoso.com');
      await addPermission(org.admin, { mailbox: 'bob@contoso.com', trustee: 'carol@contoso.com', rights: ['FullAccess', 'SendAs'] });
      await addMembers(org.admin, 'salesteam@contoso.com', ['bob@contoso.com']);
      await updateMailboxSettings(org.admin, 'bob@contoso.com', { forwarding: { enabled: true, address: 'bob@example.net', keepCopy: true } });
      const settings = await showMailboxSettings(org.admin, 'bob@contoso.com');
      const session = await signIn(org.db, 'bob@contoso.com', 'Bob-pass-123', 3600);

      const { result, entries } = await audited(org, 'mailbox.convert', 'bob@contoso.com', () => convertMailbox(org.admin, 'robert@contoso.com', 'shared'));
      assert.deepEqual([result.kind, result.signInBlocked, result.roles, result.proxyAddresses], ['shared', true, [], ['robert@contoso.com']]);
      assert.deepEqual(entries[0]?.after, result);
      assert.deepEqual([(entries[0]?.before as { kind?: string }).kind, (entries[0]?.before as { signInBlocked?: boolean }).signInBlocked], ['user', false]);
      await assertRefusal(() => authenticate(org.db, 'bob@contoso.com', 'Bob-pass-123'), AccountLocked, messages.accountLocked);
      await assertRefusal(() => principalForToken(org.db, session.token), AccountLocked, messages.accountLocked);
      const members = await listMembers(org.admin, 'bob@contoso.com');
      assert.deepEqual(members.map((m) => [m.trustee, m.rights, m.automap]), [['carol@contoso.com', ['FullAccess', 'SendAs'], true]]);
      assert.deepEqual((await listPermissions(org.admin, 'salesteam@contoso.com')).map((p) => p.trustee), ['bob@contoso.com']);
      assert.deepEqual(await showMailboxSettings(org.admin, 'bob@contoso.com'), settings);
      assert.equal((await showSharedMailbox(org.admin, 'robert@contoso.com')).memberCount, 1);
    });

    orgTest(open, 'a shared mailbox becomes a user with a new password', async (org) => {
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      await addBob(org);
      await refused(org, () => convertMailbox(org.admin, 'salesteam@contoso.com', 'user'), InvalidInput,
        'Set a password for the user account when converting a shared mailbox to a user mailbox.');
      await refused(org, () => convertMailbox(org.admin, 'salesteam@contoso.com', 'user', 'short'), InvalidInput, tooShort);
      await refused(org, () => convertMailbox(org.admin, 'bob@contoso.com', 'user', 'Bob-pass-456'), NotFound, messages.unknownRecipient('bob@contoso.com'));
      await refused(org, () => convertMailbox(org.admin, 'salesteam@contoso.com', 'group' as 'user', 'Sales-pass-123'), InvalidInput, 'A mailbox converts to "shared" or "user", not "group".');

      const { result } = await audited(org, 'mailbox.convert', 'salesteam@contoso.com', () => convertMailbox(org.admin, 'salesteam@contoso.com', 'user', 'Sales-pass-123'));
      assert.deepEqual([result.kind, result.signInBlocked, result.roles], ['user', false, []]);
      const principal = await authenticate(org.db, 'salesteam@contoso.com', 'Sales-pass-123');
      assert.deepEqual([principal.kind, principal.roles], ['user', []]);
      assert.deepEqual(await listSharedMailboxes(org.admin), []);
    });

    orgTest(open, 'an administrator is not turned into a shared mailbox', async (org) => {
      await addUser(org.admin, { address: 'exo@contoso.com', displayName: 'Exo', password: 'Exo-pass-123', roles: ['exchange-admin'] });
      await refused(org, () => convertMailbox(org.admin, 'exo@contoso.com', 'shared'), InvalidInput,
        '"exo@contoso.com" holds an admin role. Remove its roles before converting it to a shared mailbox.');
      await refused(org, () => convertMailbox(org.admin, adminAddress, 'shared'), InvalidInput,
        `"${adminAddress}" holds an admin role. Remove its roles before converting it to a shared mailbox.`);
      assert.equal((await authenticate(org.db, 'exo@contoso.com', 'Exo-pass-123')).kind, 'user');
    });
  });
}
