import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { addAddress, removeAddress } from '../../admin/addresses.js';
import { listAuditEntries } from '../../admin/audit.js';
import { ensureOrganization } from '../../admin/bootstrap.js';
import type { AdminContext } from '../../admin/context.js';
import { convertMailbox } from '../../admin/convert.js';
import { addAcceptedDomain, listAcceptedDomains, removeAcceptedDomain, setDefaultAcceptedDomain } from '../../admin/domains.js';
import { addGroup, changeGroupMembers, listGroups } from '../../admin/groups.js';
import { showMailboxSettings, updateMailboxSettings } from '../../admin/mailbox-settings.js';
import { addMembers, listMembers } from '../../admin/members.js';
import { addPermission, effectiveAccess } from '../../admin/permissions.js';
import { addSharedMailbox, listSharedMailboxes, showSharedMailbox, suggestSharedAddress } from '../../admin/shared-mailboxes.js';
import { addUser, assignRoles, listAccounts, parseRole, removeAccount, resetPassword, setSignIn, showAccount } from '../../admin/users.js';
import { Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { authenticate } from '../../directory/accounts.js';
import { GB, addBob, adminAddress, adminPassword, assertRefusal, audited, orgTest, refused, snapshot, storeTest, type OpenStore } from './harness.js';

const lastAdmin = 'The organization must keep at least one Global Administrator who can sign in.';

/**
 * Bootstrap, accepted domains, users and roles, and address uniqueness, proved through the
 * admin use cases on a fresh database per test.
 */
export function defineDirectoryConformance(name: string, open: OpenStore): void {
  describe(`${name} directory conformance: bootstrap`, () => {
    storeTest(open, 'creates the default domain and a Global Administrator', async (db) => {
      assert.deepEqual(await ensureOrganization(db, 'contoso.com', adminPassword), { created: true, adminAddress });
      const actor = await authenticate(db, adminAddress, adminPassword);
      assert.deepEqual({ address: actor.address, kind: actor.kind, roles: actor.roles }, { address: adminAddress, kind: 'user', roles: ['global-admin'] });
      const admin: AdminContext = { db, actor };
      assert.deepEqual((await listAcceptedDomains(admin)).map((d) => [d.name, d.isDefault]), [['contoso.com', true]]);
      const account = await showAccount(admin, adminAddress);
      assert.deepEqual([account.kind, account.signInBlocked, account.roles], ['user', false, ['global-admin']]);
      assert.deepEqual((await showMailboxSettings(admin, adminAddress)).quota, { warnBytes: 49 * GB, sendBytes: 49.5 * GB, receiveBytes: 50 * GB });
      const audit = await listAuditEntries(admin, {});
      assert.deepEqual(audit.map((e) => [e.actor, e.action, e.target]), [['system', 'organization.create', 'contoso.com']]);
      assert.deepEqual(audit[0]?.after, { defaultDomain: 'contoso.com', admin: adminAddress });
    });

    storeTest(open, 'a second start changes nothing', async (db) => {
      await ensureOrganization(db, 'contoso.com', adminPassword);
      const before = await snapshot(db);
      assert.deepEqual(await ensureOrganization(db, 'fabrikam.com', 'Other-pass-2'), { created: false });
      assert.deepEqual(await ensureOrganization(db, 'contoso.com', undefined), { created: false });
      assert.deepEqual(await snapshot(db), before);
      await assertRefusal(() => authenticate(db, adminAddress, 'Other-pass-2'), Unauthenticated, messages.badCredentials);
      await assertRefusal(() => authenticate(db, 'admin@fabrikam.com', 'Other-pass-2'), Unauthenticated, messages.badCredentials);
      assert.equal((await authenticate(db, adminAddress, adminPassword)).address, adminAddress);
    });

    storeTest(open, 'generates a password when none is given, returns it once and never stores it', async (db) => {
      const result = await ensureOrganization(db, 'contoso.com', undefined);
      assert.equal(result.created, true);
      const password = result.generatedPassword;
      assert.ok(password && password.length >= 16, 'a generated password is long');
      assert.deepEqual((await authenticate(db, adminAddress, password)).roles, ['global-admin']);
      assert.ok(!JSON.stringify(await snapshot(db)).includes(password), 'the clear password is stored nowhere');
    });
  });

  describe(`${name} directory conformance: accepted domains`, () => {
    orgTest(open, 'adds, lists, sets the default and removes domains', async (org) => {
      const { result: added } = await audited(org, 'domain.add', 'fabrikam.com', () => addAcceptedDomain(org.admin, 'Fabrikam.COM'));
      assert.deepEqual([added.name, added.isDefault], ['fabrikam.com', false]);
      const listed = await listAcceptedDomains(org.admin);
      assert.deepEqual(listed.map((d) => [d.name, d.isDefault]), [['contoso.com', true], ['fabrikam.com', false]]);
      assert.deepEqual(listed[1], added, 'the domain returned is the domain stored');
      assert.equal(await suggestSharedAddress(org.admin, 'Sales'), 'sales@contoso.com', 'a new domain is not the default unless asked');

      await addAcceptedDomain(org.admin, 'northwind.example', true);
      assert.deepEqual((await listAcceptedDomains(org.admin)).filter((d) => d.isDefault).map((d) => d.name), ['northwind.example']);
      const { result: domains, entries } = await audited(org, 'domain.set-default', 'contoso.com', () => setDefaultAcceptedDomain(org.admin, 'Contoso.com'));
      assert.deepEqual(domains.map((d) => [d.name, d.isDefault]), [['contoso.com', true], ['fabrikam.com', false], ['northwind.example', false]]);
      assert.deepEqual([entries[0]?.before, entries[0]?.after], [{ default: 'northwind.example' }, { default: 'contoso.com' }]);

      await audited(org, 'domain.remove', 'northwind.example', () => removeAcceptedDomain(org.admin, 'northwind.example'));
      assert.deepEqual((await listAcceptedDomains(org.admin)).map((d) => d.name), ['contoso.com', 'fabrikam.com']);
      await refused(org, () => setDefaultAcceptedDomain(org.admin, 'northwind.example'), NotFound, messages.unknownDomain('northwind.example'));
      await refused(org, () => removeAcceptedDomain(org.admin, 'northwind.example'), NotFound, messages.unknownDomain('northwind.example'));
    });

    orgTest(open, 'refuses invalid, duplicate, default and in-use domains', async (org) => {
      await refused(org, () => addAcceptedDomain(org.admin, 'not a domain'), InvalidInput, '"not a domain" is not a valid domain name.');
      await refused(org, () => addAcceptedDomain(org.admin, 'contoso'), InvalidInput, '"contoso" is not a valid domain name.');
      await refused(org, () => addAcceptedDomain(org.admin, '-bad.example'), InvalidInput, '"-bad.example" is not a valid domain name.');
      await refused(org, () => addAcceptedDomain(org.admin, 'CONTOSO.com'), Conflict, 'The domain "contoso.com" is already an accepted domain.');
      await refused(org, () => removeAcceptedDomain(org.admin, 'contoso.com'), InvalidInput, '"contoso.com" is the default domain. Make another domain the default before removing it.');

      await addAcceptedDomain(org.admin, 'fabrikam.com');
      await addUser(org.admin, { address: 'bob@fabrikam.com', displayName: 'Bob', password: 'Bob-pass-123' });
      const inUse = 'The domain "fabrikam.com" is still used by 1 address(es). Remove or change those addresses first.';
      await refused(org, () => removeAcceptedDomain(org.admin, 'fabrikam.com'), Conflict, inUse);

      // A proxy address alone keeps a domain in use too.
      await addAcceptedDomain(org.admin, 'tailspin.example');
      await addAddress(org.admin, adminAddress, 'admin@tailspin.example');
      await refused(org, () => removeAcceptedDomain(org.admin, 'tailspin.example'), Conflict,
        'The domain "tailspin.example" is still used by 1 address(es). Remove or change those addresses first.');
      await removeAddress(org.admin, adminAddress, 'admin@tailspin.example');
      await removeAcceptedDomain(org.admin, 'tailspin.example');
      assert.deepEqual((await listAcceptedDomains(org.admin)).map((d) => d.name), ['contoso.com', 'fabrikam.com']);
    });

    orgTest(open, 'an Exchange Administrator reads the domains but cannot change them', async (org) => {
      await addUser(org.admin, { address: 'exo@contoso.com', displayName: 'Exo', password: 'Exo-pass-123', roles: ['exchange-admin'] });
      await addAcceptedDomain(org.admin, 'fabrikam.com');
      const exo = await org.as('exo@contoso.com', 'Exo-pass-123');
      assert.deepEqual((await listAcceptedDomains(exo)).map((d) => d.name), ['contoso.com', 'fabrikam.com']);
      await refused(org, () => addAcceptedDomain(exo, 'northwind.example'), Forbidden, messages.permissionDenied);
      await refused(org, () => removeAcceptedDomain(exo, 'fabrikam.com'), Forbidden, messages.permissionDenied);
      await refused(org, () => setDefaultAcceptedDomain(exo, 'fabrikam.com'), Forbidden, messages.permissionDenied);
    });
  });

  describe(`${name} directory conformance: users and roles`, () => {
    orgTest(open, 'adds, lists, shows and removes users', async (org) => {
      const { result: bob, entries } = await audited(org, 'user.add', 'Bob.Smith@contoso.com',
        () => addUser(org.admin, { address: ' Bob.Smith@Contoso.COM ', displayName: 'Bob Smith', password: 'Bob-pass-123' }));
      assert.deepEqual(
        { kind: bob.kind, displayName: bob.displayName, alias: bob.alias, primaryAddress: bob.primaryAddress, proxyAddresses: bob.proxyAddresses, hidden: bob.hiddenFromAddressList, signInBlocked: bob.signInBlocked, roles: bob.roles },
        { kind: 'user', displayName: 'Bob Smith', alias: 'Bob.Smith', primaryAddress: 'Bob.Smith@contoso.com', proxyAddresses: [], hidden: false, signInBlocked: false, roles: [] },
      );
      assert.deepEqual(entries[0]?.after, bob);
      assert.deepEqual(await showAccount(org.admin, 'bob.smith@contoso.com'), bob);
      assert.deepEqual((await listAccounts(org.admin)).map((a) => a.primaryAddress), [adminAddress, 'Bob.Smith@contoso.com']);
      assert.deepEqual((await listAccounts(org.admin, { search: 'smith' })).map((a) => a.displayName), ['Bob Smith']);
      assert.equal((await showMailboxSettings(org.admin, bob.primaryAddress)).forwarding.enabled, false, 'a user gets a mailbox');
      assert.deepEqual((await authenticate(org.db, 'bob.smith@contoso.com', 'Bob-pass-123')).roles, []);

      // Removing a user removes its addresses, grants and memberships with it.
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      await addMembers(org.admin, 'salesteam@contoso.com', [bob.primaryAddress]);
      await addGroup(org.admin, { address: 'staff@contoso.com', displayName: 'Staff', type: 'distribution' });
      await changeGroupMembers(org.admin, 'staff@contoso.com', [bob.primaryAddress], 'add');
      const removal = await audited(org, 'user.remove', bob.primaryAddress, () => removeAccount(org.admin, 'BOB.SMITH@contoso.com'));
      assert.deepEqual(removal.entries[0]?.before, bob);
      await assertRefusal(() => showAccount(org.admin, 'bob.smith@contoso.com'), NotFound, messages.unknownRecipient('bob.smith@contoso.com'));
      await assertRefusal(() => authenticate(org.db, 'bob.smith@contoso.com', 'Bob-pass-123'), Unauthenticated, messages.badCredentials);
      assert.deepEqual(await listMembers(org.admin, 'salesteam@contoso.com'), []);
      assert.deepEqual((await listGroups(org.admin))[0]?.members, []);
      await addUser(org.admin, { address: 'bob.smith@contoso.com', displayName: 'Bob Smith', password: 'Bob-pass-456' });
      await refused(org, () => removeAccount(org.admin, 'salesteam@contoso.com'), NotFound, messages.unknownRecipient('salesteam@contoso.com'));
    });

    orgTest(open, 'assigns and removes roles', async (org) => {
      const exo = await addUser(org.admin, { address: 'exo@contoso.com', displayName: 'Exo', password: 'Exo-pass-123', roles: ['exchange-admin', 'exchange-admin'] });
      assert.deepEqual(exo.roles, ['exchange-admin']);
      await addBob(org);
      const { result, entries } = await audited(org, 'user.set-roles', 'bob@contoso.com', () => assignRoles(org.admin, 'bob@contoso.com', ['global-admin', 'exchange-admin']));
      assert.deepEqual(result.roles, ['exchange-admin', 'global-admin']);
      assert.deepEqual([entries[0]?.before, entries[0]?.after], [{ roles: [] }, { roles: ['exchange-admin', 'global-admin'] }]);
      assert.deepEqual((await authenticate(org.db, 'bob@contoso.com', 'Bob-pass-123')).roles, ['exchange-admin', 'global-admin']);
      assert.deepEqual((await assignRoles(org.admin, 'bob@contoso.com', [])).roles, []);
      assert.deepEqual((await showAccount(org.admin, 'bob@contoso.com')).roles, []);
      assert.equal(parseRole('exchange-admin'), 'exchange-admin');
      assert.throws(() => parseRole('superuser'), (err) => err instanceof InvalidInput && err.message === 'Unknown role "superuser". Roles: global-admin, exchange-admin.');
    });

    orgTest(open, 'a user without a role is refused every admin action', async (org) => {
      await addBob(org);
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      const bob = await org.as('bob@contoso.com', 'Bob-pass-123');
      const attempts: (() => Promise<unknown>)[] = [
        () => listAccounts(bob),
        () => showAccount(bob, 'bob@contoso.com'),
        () => addUser(bob, { address: 'eve@contoso.com', displayName: 'Eve', password: 'Eve-pass-123' }),
        () => removeAccount(bob, adminAddress),
        () => resetPassword(bob, adminAddress, 'Taken-over-1'),
        () => resetPassword(bob, 'bob@contoso.com', 'Bob-pass-456'),
        () => setSignIn(bob, [adminAddress], true),
        () => assignRoles(bob, 'bob@contoso.com', ['global-admin']),
        () => listAcceptedDomains(bob),
        () => addAcceptedDomain(bob, 'fabrikam.com'),
        () => addSharedMailbox(bob, { displayName: 'Bob Shared' }),
        () => listSharedMailboxes(bob),
        () => suggestSharedAddress(bob, 'Bob Shared'),
        () => addMembers(bob, 'salesteam@contoso.com', ['bob@contoso.com']),
        () => addPermission(bob, { mailbox: adminAddress, trustee: 'bob@contoso.com', rights: ['FullAccess'] }),
        () => effectiveAccess(bob, 'bob@contoso.com'),
        () => showMailboxSettings(bob, 'bob@contoso.com'),
        () => updateMailboxSettings(bob, adminAddress, { forwarding: { enabled: true, address: 'bob@contoso.com' } }),
        () => convertMailbox(bob, 'salesteam@contoso.com', 'user', 'Sales-pass-123'),
        () => addGroup(bob, { address: 'bobs@contoso.com', displayName: 'Bobs', type: 'security' }),
        () => addAddress(bob, 'bob@contoso.com', 'boss@contoso.com'),
        () => listAuditEntries(bob, {}),
      ];
      for (const attempt of attempts) await refused(org, attempt, Forbidden, messages.permissionDenied);
    });

    orgTest(open, 'an Exchange Administrator manages recipients but not roles or admin accounts', async (org) => {
      await addUser(org.admin, { address: 'exo@contoso.com', displayName: 'Exo', password: 'Exo-pass-123', roles: ['exchange-admin'] });
      const exo = await org.as('exo@contoso.com', 'Exo-pass-123');
      const carol = await addUser(exo, { address: 'carol@contoso.com', displayName: 'Carol', password: 'Carol-pass-1' });
      assert.deepEqual(carol.roles, []);
      await refused(org, () => addUser(exo, { address: 'dave@contoso.com', displayName: 'Dave', password: 'Dave-pass-12', roles: ['exchange-admin'] }), Forbidden, messages.permissionDenied);
      await refused(org, () => assignRoles(exo, 'carol@contoso.com', ['exchange-admin']), Forbidden, messages.permissionDenied);
      await refused(org, () => resetPassword(exo, adminAddress, 'Taken-over-1'), Forbidden, messages.permissionDenied);
      await refused(org, () => setSignIn(exo, [adminAddress], true), Forbidden, messages.permissionDenied);
      await refused(org, () => setSignIn(exo, ['carol@contoso.com', adminAddress], true), Forbidden, messages.permissionDenied);
      await refused(org, () => removeAccount(exo, adminAddress), Forbidden, messages.permissionDenied);
      await assertRefusal(() => authenticate(org.db, adminAddress, 'Taken-over-1'), Unauthenticated, messages.badCredentials);

      await resetPassword(exo, 'carol@contoso.com', 'Carol-pass-2');
      assert.equal((await authenticate(org.db, 'carol@contoso.com', 'Carol-pass-2')).address, 'carol@contoso.com');
      assert.deepEqual((await setSignIn(exo, ['carol@contoso.com'], true)).map((r) => r.signInBlocked), [true]);
      await removeAccount(exo, 'carol@contoso.com');
    });

    orgTest(open, 'refuses a bad password, a bad address and an address outside the accepted domains', async (org) => {
      const tooShort = 'A password must be 8 to 256 characters long.';
      await refused(org, () => addUser(org.admin, { address: 'bob@contoso.com', displayName: 'Bob', password: 'short' }), InvalidInput, tooShort);
      await refused(org, () => addUser(org.admin, { address: 'bob@contoso.com', displayName: 'Bob', password: 'x'.repeat(257) }), InvalidInput, tooShort);
      await refused(org, () => addUser(org.admin, { address: 'bob@fabrikam.com', displayName: 'Bob', password: 'Bob-pass-123' }), InvalidInput, messages.domainNotAccepted('fabrikam.com'));
      await refused(org, () => addUser(org.admin, { address: 'not an address', displayName: 'Bob', password: 'Bob-pass-123' }), InvalidInput, '"not an address" is not a valid email address.');
      await refused(org, () => addUser(org.admin, { address: 'bob@contoso.com', displayName: '  ', password: 'Bob-pass-123' }), InvalidInput, 'A display name of 1 to 256 characters is required.');
      await addBob(org);
      await refused(org, () => resetPassword(org.admin, 'bob@contoso.com', 'short'), InvalidInput, tooShort);
      await refused(org, () => resetPassword(org.admin, 'nobody@contoso.com', 'Long-enough-1'), NotFound, messages.unknownRecipient('nobody@contoso.com'));
      assert.equal((await authenticate(org.db, 'bob@contoso.com', 'Bob-pass-123')).address, 'bob@contoso.com');
    });

    orgTest(open, 'keeps a Global Administrator who can sign in', async (org) => {
      await refused(org, () => setSignIn(org.admin, [adminAddress], true), InvalidInput, lastAdmin);
      await refused(org, () => removeAccount(org.admin, adminAddress), InvalidInput, lastAdmin);
      await refused(org, () => assignRoles(org.admin, adminAddress, ['exchange-admin']), InvalidInput, lastAdmin);
      await refused(org, () => assignRoles(org.admin, adminAddress, []), InvalidInput, lastAdmin);

      await addUser(org.admin, { address: 'root@contoso.com', displayName: 'Root', password: 'Root-pass-12', roles: ['global-admin'] });
      await refused(org, () => setSignIn(org.admin, [adminAddress, 'root@contoso.com'], true), InvalidInput, lastAdmin);
      await setSignIn(org.admin, ['root@contoso.com'], true);
      // A blocked Global Administrator can't sign in, so it does not count.
      await refused(org, () => assignRoles(org.admin, adminAddress, []), InvalidInput, lastAdmin);
      await refused(org, () => removeAccount(org.admin, adminAddress), InvalidInput, lastAdmin);
      await setSignIn(org.admin, ['root@contoso.com'], false);
      await audited(org, 'user.set-roles', adminAddress, () => assignRoles(org.admin, adminAddress, []));
      const root = await org.as('root@contoso.com', 'Root-pass-12');
      await refused(org, () => removeAccount(root, 'root@contoso.com'), InvalidInput, lastAdmin);
      await removeAccount(root, adminAddress);
    });

    orgTest(open, 'searches names and addresses literally and without regard to case', async (org) => {
      await addUser(org.admin, { address: 'ann_lee@contoso.com', displayName: 'Ann_Lee', password: 'Ann-pass-123' });
      await addUser(org.admin, { address: 'annxlee@contoso.com', displayName: 'AnnXLee', password: 'Ann-pass-123' });
      await addUser(org.admin, { address: 'pct@contoso.com', displayName: '100% Sales', password: 'Pct-pass-123' });
      const search = async (text: string) => (await listAccounts(org.admin, { search: text })).map((a) => a.primaryAddress).sort();
      assert.deepEqual(await search('ANN'), ['ann_lee@contoso.com', 'annxlee@contoso.com']);
      assert.deepEqual(await search('n_l'), ['ann_lee@contoso.com'], '"_" is a character, not a wildcard');
      assert.deepEqual(await search('0%'), ['pct@contoso.com'], '"%" is a character, not a wildcard');
      assert.deepEqual(await search('x%l'), []);
    });
  });

  describe(`${name} directory conformance: address uniqueness`, () => {
    orgTest(open, 'an address belongs to one recipient, whatever its case or kind', async (org) => {
      await addUser(org.admin, { address: 'info@contoso.com', displayName: 'Info', password: 'Info-pass-12' });
      await refused(org, () => addUser(org.admin, { address: 'info@contoso.com', displayName: 'Info 2', password: 'Info-pass-12' }), Conflict,
        'The proxy address "SMTP:info@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info". Please choose another proxy address.');
      const inUse = (address: string, owner: string) => messages.proxyAddressInUse(address, owner);
      const err = await refused(org, () => addUser(org.admin, { address: 'INFO@contoso.com', displayName: 'Info 2', password: 'Info-pass-12' }), Conflict, inUse('INFO@contoso.com', 'Info'));
      assert.equal(err.type, 'address-in-use');
      await refused(org, () => addSharedMailbox(org.admin, { displayName: 'Info Desk', address: 'Info@Contoso.com' }), Conflict, inUse('Info@contoso.com', 'Info'));
      await refused(org, () => addSharedMailbox(org.admin, { displayName: 'Info' }), Conflict, inUse('info@contoso.com', 'Info'));
      await refused(org, () => addGroup(org.admin, { address: 'info@CONTOSO.COM', displayName: 'Info List', type: 'distribution' }), Conflict, inUse('info@contoso.com', 'Info'));
      await refused(org, () => addGroup(org.admin, { address: 'iNfO@contoso.com', displayName: 'Info Sec', type: 'security', mailEnabled: false }), Conflict, inUse('iNfO@contoso.com', 'Info'));
      await refused(org, () => addAddress(org.admin, adminAddress, 'Info@contoso.com'), Conflict, inUse('Info@contoso.com', 'Info'));
      await refused(org, () => addAddress(org.admin, 'info@contoso.com', 'INFO@contoso.com'), Conflict, inUse('INFO@contoso.com', 'Info'));

      // Proxy addresses are addresses too, whoever holds them.
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      await addAddress(org.admin, 'salesteam@contoso.com', 'help@contoso.com');
      await refused(org, () => addUser(org.admin, { address: 'Help@contoso.com', displayName: 'Help', password: 'Help-pass-12' }), Conflict, inUse('Help@contoso.com', 'Sales Team'));
      await addGroup(org.admin, { address: 'all@contoso.com', displayName: 'All Staff', type: 'distribution' });
      await addAddress(org.admin, 'all@contoso.com', 'everyone@contoso.com');
      await refused(org, () => addSharedMailbox(org.admin, { displayName: 'Everyone', address: 'EVERYONE@contoso.com' }), Conflict, inUse('EVERYONE@contoso.com', 'All Staff'));
      await refused(org, () => addAddress(org.admin, 'salesteam@contoso.com', 'all@contoso.com'), Conflict, inUse('all@contoso.com', 'All Staff'));
      assert.deepEqual((await showSharedMailbox(org.admin, 'HELP@contoso.com')).primaryAddress, 'salesteam@contoso.com');
    });

    orgTest(open, 'the same local part in two domains is two recipients', async (org) => {
      await addAcceptedDomain(org.admin, 'fabrikam.com');
      await addBob(org);
      const contoso = await addSharedMailbox(org.admin, { displayName: 'Info', address: 'info@contoso.com' });
      const fabrikam = await addSharedMailbox(org.admin, { displayName: 'Info Fabrikam', address: 'info@fabrikam.com' });
      assert.notEqual(contoso.id, fabrikam.id);
      await addMembers(org.admin, 'info@contoso.com', ['bob@contoso.com']);
      await updateMailboxSettings(org.admin, 'info@fabrikam.com', { hiddenFromAddressList: true });
      assert.deepEqual((await listMembers(org.admin, 'info@contoso.com')).map((m) => m.trustee), ['bob@contoso.com']);
      assert.deepEqual(await listMembers(org.admin, 'info@fabrikam.com'), []);
      assert.equal((await showMailboxSettings(org.admin, 'info@contoso.com')).hiddenFromAddressList, false);
      assert.equal((await showMailboxSettings(org.admin, 'info@fabrikam.com')).hiddenFromAddressList, true);
      // The alias "info" now names two recipients, so it names neither.
      await assertRefusal(() => showSharedMailbox(org.admin, 'info'), NotFound, messages.unknownRecipient('info'));
    });

    orgTest(open, 'adds and removes proxy addresses', async (org) => {
      await addBob(org);
      const { result, entries } = await audited(org, 'address.add', 'bob@contoso.com', () => addAddress(org.admin, 'bob@contoso.com', 'Robert@Contoso.com'));
      assert.deepEqual(result.proxyAddresses, ['Robert@contoso.com']);
      assert.deepEqual([entries[0]?.before, entries[0]?.after], [{ proxyAddresses: [] }, { proxyAddresses: ['Robert@contoso.com'] }]);
      assert.equal((await showAccount(org.admin, 'robert@contoso.com')).primaryAddress, 'bob@contoso.com');
      await refused(org, () => addAddress(org.admin, 'bob@contoso.com', 'bob@fabrikam.com'), InvalidInput, messages.domainNotAccepted('fabrikam.com'));
      await refused(org, () => addAddress(org.admin, 'nobody@contoso.com', 'x@contoso.com'), NotFound, messages.unknownRecipient('nobody@contoso.com'));
      await refused(org, () => removeAddress(org.admin, 'bob@contoso.com', 'BOB@contoso.com'), InvalidInput, '"BOB@contoso.com" is the primary address of "Bob" and can\'t be removed.');
      await refused(org, () => removeAddress(org.admin, 'bob@contoso.com', 'admin@contoso.com'), NotFound, '"admin@contoso.com" is not an address of "Bob".');
      await audited(org, 'address.remove', 'bob@contoso.com', () => removeAddress(org.admin, 'robert@contoso.com', 'ROBERT@contoso.com'));
      assert.deepEqual((await showAccount(org.admin, 'bob@contoso.com')).proxyAddresses, []);
      // A removed address is free again.
      await addUser(org.admin, { address: 'robert@contoso.com', displayName: 'Robert', password: 'Robert-pass-1' });
    });
  });
}
