import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { listAuditEntries } from '../../admin/audit.js';
import { convertMailbox } from '../../admin/convert.js';
import { addGroup, changeGroupMembers, listGroups, removeGroup, showGroup } from '../../admin/groups.js';
import { updateMailboxSettings } from '../../admin/mailbox-settings.js';
import { addMembers, listMembers, removeMembers } from '../../admin/members.js';
import { addPermission, effectiveAccess, listPermissions, parseRights, removePermission } from '../../admin/permissions.js';
import { addSharedMailbox, showSharedMailbox } from '../../admin/shared-mailboxes.js';
import { signIn } from '../../admin/sign-in.js';
import { addUser, resetPassword, setSignIn } from '../../admin/users.js';
import { Conflict, Forbidden, InvalidInput, NotFound, OutsideOrganization } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import { expandGroup } from '../../directory/groups.js';
import { addBob, addUsers, adminAddress, adminPassword, assertRefusal, audited, lastAudit, orgTest, pause, refused, type OpenStore, type Org } from './harness.js';

const sales = 'salesteam@contoso.com';

async function salesTeamWithPeople(org: Org): Promise<void> {
  await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
  await addBob(org);
  await addUsers(org, 'Carol', 'Dave');
}

const byAddress = (recipients: { primaryAddress: string }[]): string[] => recipients.map((r) => r.primaryAddress).sort();

/** Members, grants and their reach through security groups; groups; the audit log. A fresh database per test. */
export function defineAccessConformance(name: string, open: OpenStore): void {
  describe(`${name} access conformance: members and grants`, () => {
    orgTest(open, 'members get Full Access and Send As, with automapping unless asked otherwise', async (org) => {
      await salesTeamWithPeople(org);
      const { result: members, entries } = await audited(org, 'member.add', sales, () => addMembers(org.admin, sales, ['bob@contoso.com', 'Carol@Contoso.com']));
      assert.deepEqual(members, [
        { trustee: 'bob@contoso.com', trusteeName: 'Bob', trusteeKind: 'user', rights: ['FullAccess', 'SendAs'], automap: true },
        { trustee: 'carol@contoso.com', trusteeName: 'Carol', trusteeKind: 'user', rights: ['FullAccess', 'SendAs'], automap: true },
      ]);
      assert.deepEqual(entries.map((e) => e.after).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
        { member: 'bob@contoso.com', rights: ['FullAccess', 'SendAs'], automap: true },
        { member: 'carol@contoso.com', rights: ['FullAccess', 'SendAs'], automap: true },
      ]);
      assert.deepEqual(await listMembers(org.admin, sales), members);
      assert.equal((await showSharedMailbox(org.admin, sales)).memberCount, 2);
      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'), [
        { mailbox: sales, displayName: 'Sales Team', kind: 'shared', rights: ['FullAccess', 'SendAs'], automap: true, via: ['direct'] },
      ]);

      const dave = await addMembers(org.admin, sales, ['dave'], false);
      assert.deepEqual(dave.find((m) => m.trustee === 'dave@contoso.com')?.automap, false);
      assert.deepEqual((await addMembers(org.admin, sales, ['bob@contoso.com'], false)).find((m) => m.trustee === 'bob@contoso.com')?.automap, false);

      const removal = await audited(org, 'member.remove', sales, () => removeMembers(org.admin, sales, ['BOB@contoso.com', 'dave@contoso.com']));
      assert.deepEqual(removal.result.map((m) => m.trustee), ['carol@contoso.com']);
      assert.deepEqual(await listMembers(org.admin, sales), removal.result);
      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'), []);
      await refused(org, () => removeMembers(org.admin, sales, ['carol@contoso.com', 'bob@contoso.com']), InvalidInput, '"bob@contoso.com" is not a member of "Sales Team".');
    });

    orgTest(open, 'refuses people outside the organization, unknown names and non-trustees', async (org) => {
      await salesTeamWithPeople(org);
      await addGroup(org.admin, { address: 'all@contoso.com', displayName: 'All Staff', type: 'distribution' });
      await addSharedMailbox(org.admin, { displayName: 'Support' });
      await refused(org, () => addMembers(org.admin, sales, ['alice@gmail.com']), OutsideOrganization, messages.outsideOrganizationMember('alice@gmail.com'));
      await refused(org, () => addMembers(org.admin, sales, ['bob@contoso.com', 'alice@gmail.com']), OutsideOrganization, messages.outsideOrganizationMember('alice@gmail.com'));
      await refused(org, () => addMembers(org.admin, sales, ['bob@contoso.com', 'nobody@contoso.com']), NotFound, messages.unknownRecipient('nobody@contoso.com'));
      await refused(org, () => addMembers(org.admin, sales, ['nobody']), NotFound, messages.unknownRecipient('nobody'));
      await refused(org, () => addMembers(org.admin, sales, ['all@contoso.com']), InvalidInput, '"All Staff" can\'t be given mailbox permissions: only users and security groups can.');
      await refused(org, () => addMembers(org.admin, sales, ['support@contoso.com']), InvalidInput, '"Support" can\'t be given mailbox permissions: only users and security groups can.');
      await refused(org, () => addPermission(org.admin, { mailbox: sales, trustee: 'all@contoso.com', rights: ['SendAs'] }), InvalidInput,
        '"All Staff" can\'t be given mailbox permissions: only users and security groups can.');
      await refused(org, () => addMembers(org.admin, sales, []), InvalidInput, 'Choose at least one member.');
      await refused(org, () => addMembers(org.admin, 'bob@contoso.com', ['carol@contoso.com']), NotFound, messages.unknownRecipient('bob@contoso.com'));
      assert.deepEqual(await listMembers(org.admin, sales), []);
    });

    orgTest(open, 'single rights: Send on Behalf, Full Access without automapping', async (org) => {
      await salesTeamWithPeople(org);
      const { entries } = await audited(org, 'permission.add', sales, () => addPermission(org.admin, { mailbox: sales, trustee: 'bob@contoso.com', rights: parseRights('sendonbehalf') }));
      assert.deepEqual([entries[0]?.before, entries[0]?.after],
        [{ trustee: 'bob@contoso.com', rights: [] }, { trustee: 'bob@contoso.com', trusteeName: 'Bob', trusteeKind: 'user', rights: ['SendOnBehalf'], automap: false }]);
      assert.deepEqual(await listMembers(org.admin, sales), [], 'a member is someone with Full Access');
      const fullAccess = await addPermission(org.admin, { mailbox: sales, trustee: 'bob@contoso.com', rights: ['FullAccess'], automap: false });
      assert.deepEqual(fullAccess.map((p) => [p.trustee, p.rights, p.automap]), [['bob@contoso.com', ['FullAccess', 'SendOnBehalf'], false]]);
      assert.deepEqual((await effectiveAccess(org.admin, 'bob@contoso.com')).map((a) => [a.mailbox, a.rights, a.automap]), [[sales, ['FullAccess', 'SendOnBehalf'], false]]);

      // A user mailbox can be shared too (delegation).
      await addPermission(org.admin, { mailbox: 'bob@contoso.com', trustee: 'carol@contoso.com', rights: parseRights('FullAccess, sendas') });
      assert.deepEqual((await listPermissions(org.admin, 'bob@contoso.com')).map((p) => [p.trustee, p.rights, p.automap]), [['carol@contoso.com', ['FullAccess', 'SendAs'], true]]);
      await refused(org, () => addPermission(org.admin, { mailbox: 'bob@contoso.com', trustee: 'bob', rights: ['SendAs'] }), InvalidInput, 'A mailbox already has every right on itself.');

      await audited(org, 'permission.remove', sales, () => removePermission(org.admin, { mailbox: sales, trustee: 'bob@contoso.com', rights: ['SendOnBehalf'] }));
      assert.deepEqual((await listPermissions(org.admin, sales)).map((p) => [p.trustee, p.rights]), [['bob@contoso.com', ['FullAccess']]]);
      await refused(org, () => removePermission(org.admin, { mailbox: sales, trustee: 'bob@contoso.com', rights: ['SendAs'] }), InvalidInput,
        '"bob@contoso.com" has none of SendAs on "salesteam@contoso.com".');

      assert.throws(() => parseRights('Read'), (e) => e instanceof InvalidInput && e.message === 'Unknown right "Read". Rights: FullAccess, SendAs, SendOnBehalf, ReadOnly, NoDelete.');
      assert.throws(() => parseRights(' , '), (e) => e instanceof InvalidInput && e.message === 'Give at least one right: FullAccess, SendAs, SendOnBehalf, ReadOnly, NoDelete.');
      assert.throws(() => parseRights(['FullAccess', 'Owner']), (e) => e instanceof InvalidInput && e.message === 'Unknown right "Owner". Rights: FullAccess, SendAs, SendOnBehalf, ReadOnly, NoDelete.');
    });

    orgTest(open, 'a grant to a security group reaches its members, nested and added later, and leaves with them', async (org) => {
      await salesTeamWithPeople(org);
      await addGroup(org.admin, { address: 'sales-staff@contoso.com', displayName: 'Sales Staff', type: 'security', mailEnabled: false });
      await addGroup(org.admin, { address: 'sales-leads@contoso.com', displayName: 'Sales Leads', type: 'security' });
      await addMembers(org.admin, sales, ['sales-staff@contoso.com']);
      const viaStaff = { mailbox: sales, displayName: 'Sales Team', kind: 'shared', rights: ['FullAccess', 'SendAs'], automap: true, via: ['sales-staff@contoso.com'] };

      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'), []);
      await changeGroupMembers(org.admin, 'sales-staff@contoso.com', ['bob@contoso.com'], 'add');
      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'), [viaStaff]);
      await addUser(org.admin, { address: 'erin@contoso.com', displayName: 'Erin', password: 'Erin-pass-123' });
      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'), [viaStaff], 'still there later');

      await changeGroupMembers(org.admin, 'sales-staff@contoso.com', ['sales-leads@contoso.com'], 'add');
      await changeGroupMembers(org.admin, 'sales-leads@contoso.com', ['carol@contoso.com'], 'add');
      assert.deepEqual(await effectiveAccess(org.admin, 'carol@contoso.com'), [viaStaff], 'nested security groups pass the grant on');

      await addPermission(org.admin, { mailbox: sales, trustee: 'bob@contoso.com', rights: ['SendOnBehalf'] });
      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'),
        [{ ...viaStaff, rights: ['FullAccess', 'SendAs', 'SendOnBehalf'], via: ['direct', 'sales-staff@contoso.com'] }]);
      await changeGroupMembers(org.admin, 'sales-staff@contoso.com', ['bob@contoso.com'], 'remove');
      assert.deepEqual(await effectiveAccess(org.admin, 'bob@contoso.com'), [{ ...viaStaff, rights: ['SendOnBehalf'], automap: false, via: ['direct'] }]);
      await changeGroupMembers(org.admin, 'sales-staff@contoso.com', ['sales-leads@contoso.com'], 'remove');
      assert.deepEqual(await effectiveAccess(org.admin, 'carol@contoso.com'), []);

      // Removing the group removes its grants.
      await changeGroupMembers(org.admin, 'sales-staff@contoso.com', ['dave@contoso.com'], 'add');
      await removeGroup(org.admin, 'sales-staff@contoso.com');
      assert.deepEqual(await effectiveAccess(org.admin, 'dave@contoso.com'), []);
      assert.deepEqual(await listMembers(org.admin, sales), []);
    });
  });

  describe(`${name} access conformance: groups`, () => {
    orgTest(open, 'distribution and security groups, mail-enabled or not', async (org) => {
      const { result: all } = await audited(org, 'group.add', 'all@contoso.com', () => addGroup(org.admin, { address: 'all@contoso.com', displayName: 'All Staff', type: 'distribution' }));
      assert.deepEqual([all.kind, all.mailEnabled, all.members], ['distribution', true, []]);
      const auditors = await addGroup(org.admin, { address: 'auditors@contoso.com', displayName: 'Auditors', type: 'security', mailEnabled: false });
      assert.deepEqual([auditors.kind, auditors.mailEnabled], ['security', false]);
      assert.equal((await addGroup(org.admin, { address: 'leads@contoso.com', displayName: 'Leads', type: 'security' })).mailEnabled, true);
      await refused(org, () => addGroup(org.admin, { address: 'list@contoso.com', displayName: 'List', type: 'distribution', mailEnabled: false }), InvalidInput, 'A distribution group is always mail-enabled.');
      await refused(org, () => addGroup(org.admin, { address: 'team@contoso.com', displayName: 'Team', type: 'team' as 'security' }), InvalidInput, 'A group is "distribution" or "security", not "team".');
      await refused(org, () => addGroup(org.admin, { address: 'x@fabrikam.com', displayName: 'X', type: 'security' }), InvalidInput, messages.domainNotAccepted('fabrikam.com'));
      assert.deepEqual((await listGroups(org.admin)).map((g) => g.primaryAddress), ['all@contoso.com', 'auditors@contoso.com', 'leads@contoso.com']);
      assert.deepEqual(await showGroup(org.admin, 'ALL@contoso.com'), all);
      await refused(org, () => showGroup(org.admin, adminAddress), NotFound, messages.unknownRecipient(adminAddress));
      const removal = await audited(org, 'group.remove', 'all@contoso.com', () => removeGroup(org.admin, 'all@contoso.com'));
      assert.deepEqual(removal.entries[0]?.before, all);
      await assertRefusal(() => showGroup(org.admin, 'all@contoso.com'), NotFound, messages.unknownRecipient('all@contoso.com'));
    });

    orgTest(open, 'groups nest, and expansion visits each recipient once even through a cycle', async (org) => {
      await salesTeamWithPeople(org);
      const a = await addGroup(org.admin, { address: 'a@contoso.com', displayName: 'A', type: 'distribution' });
      const b = await addGroup(org.admin, { address: 'b@contoso.com', displayName: 'B', type: 'distribution' });
      const s = await addGroup(org.admin, { address: 's@contoso.com', displayName: 'S', type: 'security' });
      const { result: withMembers } = await audited(org, 'group.member.add', 'a@contoso.com', () => changeGroupMembers(org.admin, 'a@contoso.com', ['bob@contoso.com', 'b@contoso.com', 's'], 'add'));
      assert.deepEqual(withMembers.members, [
        { address: 'b@contoso.com', displayName: 'B', kind: 'distribution' },
        { address: 'bob@contoso.com', displayName: 'Bob', kind: 'user' },
        { address: 's@contoso.com', displayName: 'S', kind: 'security' },
      ]);
      await changeGroupMembers(org.admin, 'b@contoso.com', ['a@contoso.com', 'carol@contoso.com', 'bob@contoso.com', sales], 'add');
      await changeGroupMembers(org.admin, 's@contoso.com', ['dave@contoso.com', 'bob@contoso.com'], 'add');
      const everyone = ['bob@contoso.com', 'carol@contoso.com', 'dave@contoso.com', sales];
      assert.deepEqual(byAddress(await expandGroup(org.db, a.id)), everyone);
      assert.deepEqual(byAddress(await expandGroup(org.db, b.id)), everyone);
      assert.deepEqual(byAddress(await expandGroup(org.db, s.id)), ['bob@contoso.com', 'dave@contoso.com']);
      await refused(org, () => changeGroupMembers(org.admin, 'a@contoso.com', ['a@contoso.com'], 'add'), InvalidInput, 'A group can\'t be a member of itself.');
      // Adding a member twice changes nothing and records nothing.
      const before = await listAuditEntries(org.admin, {});
      assert.deepEqual(await changeGroupMembers(org.admin, 'a@contoso.com', ['bob@contoso.com'], 'add'), withMembers);
      assert.deepEqual(await listAuditEntries(org.admin, {}), before);
    });

    orgTest(open, 'security groups hold users and security groups only; member changes are all or nothing', async (org) => {
      await salesTeamWithPeople(org);
      await addGroup(org.admin, { address: 'all@contoso.com', displayName: 'All Staff', type: 'distribution' });
      await addGroup(org.admin, { address: 's@contoso.com', displayName: 'S', type: 'security' });
      await refused(org, () => changeGroupMembers(org.admin, 's@contoso.com', ['bob@contoso.com', 'all@contoso.com'], 'add'), InvalidInput,
        '"All Staff" can\'t be added to the security group "S": only users and security groups can be members of a security group.');
      await refused(org, () => changeGroupMembers(org.admin, 's@contoso.com', ['bob@contoso.com', sales], 'add'), InvalidInput,
        '"Sales Team" can\'t be added to the security group "S": only users and security groups can be members of a security group.');
      await refused(org, () => changeGroupMembers(org.admin, 's@contoso.com', ['bob@contoso.com', 'nobody@contoso.com'], 'add'), NotFound, messages.unknownRecipient('nobody@contoso.com'));
      await refused(org, () => changeGroupMembers(org.admin, 's@contoso.com', [], 'add'), InvalidInput, 'Give at least one member.');
      assert.deepEqual((await showGroup(org.admin, 's@contoso.com')).members, []);

      await changeGroupMembers(org.admin, 's@contoso.com', ['bob@contoso.com'], 'add');
      await refused(org, () => changeGroupMembers(org.admin, 's@contoso.com', ['bob@contoso.com', 'carol@contoso.com'], 'remove'), NotFound, '"carol@contoso.com" is not a member of "S".');
      assert.deepEqual((await showGroup(org.admin, 's@contoso.com')).members.map((m) => m.address), ['bob@contoso.com']);
      await audited(org, 'group.member.remove', 's@contoso.com', () => changeGroupMembers(org.admin, 's@contoso.com', ['bob'], 'remove'));
      assert.deepEqual((await showGroup(org.admin, 's@contoso.com')).members, []);
    });
  });

  describe(`${name} access conformance: audit log`, () => {
    orgTest(open, 'each change is recorded with actor, target, before and after', async (org) => {
      await addBob(org);
      const added = await lastAudit(org, 'user.add', 'bob@contoso.com');
      assert.deepEqual([added.actor, added.before, (added.after as { primaryAddress?: string }).primaryAddress], [adminAddress, null, 'bob@contoso.com']);
      assert.ok(!Number.isNaN(Date.parse(added.at)));
      await pause(5);
      await updateMailboxSettings(org.admin, 'bob@contoso.com', { hiddenFromAddressList: true });
      const set = await lastAudit(org, 'mailbox.set', 'bob@contoso.com');
      assert.deepEqual([(set.before as { hiddenFromAddressList?: boolean }).hiddenFromAddressList, (set.after as { hiddenFromAddressList?: boolean }).hiddenFromAddressList], [false, true]);
      await pause(5);
      await setSignIn(org.admin, ['bob@contoso.com'], true);
      assert.deepEqual((await listAuditEntries(org.admin, { target: 'bob@contoso.com' })).map((e) => e.action), ['user.block', 'mailbox.set', 'user.add']);
      const exo = await addUser(org.admin, { address: 'exo@contoso.com', displayName: 'Exo', password: 'Exo-pass-123', roles: ['exchange-admin'] });
      const asExo = await org.as(exo.primaryAddress, 'Exo-pass-123');
      await setSignIn(asExo, ['bob@contoso.com'], false);
      assert.equal((await lastAudit(org, 'user.unblock', 'bob@contoso.com')).actor, 'exo@contoso.com', 'the actor is whoever signed in');
    });

    orgTest(open, 'filters by target, action and time; refuses a bad time', async (org) => {
      await salesTeamWithPeople(org);
      await addMembers(org.admin, sales, ['bob@contoso.com']);
      await pause(5);
      const since = new Date().toISOString();
      await pause(5);
      await removeMembers(org.admin, sales, ['bob@contoso.com']);
      await pause(5);
      await setSignIn(org.admin, ['carol@contoso.com'], true);

      assert.deepEqual((await listAuditEntries(org.admin, { target: 'SalesTeam@Contoso.com' })).map((e) => e.action), ['member.remove', 'member.add', 'shared.add']);
      assert.deepEqual((await listAuditEntries(org.admin, { since })).map((e) => [e.action, e.target]), [['user.block', 'carol@contoso.com'], ['member.remove', sales]]);
      assert.deepEqual((await listAuditEntries(org.admin, { since: since.replace('Z', '+00:00') })).length, 2);
      assert.deepEqual((await listAuditEntries(org.admin, { target: sales, since })).map((e) => e.action), ['member.remove']);
      assert.deepEqual((await listAuditEntries(org.admin, { action: 'member.' })).map((e) => e.action), ['member.remove', 'member.add']);
      assert.deepEqual((await listAuditEntries(org.admin, { action: 'MEMBER.' })).map((e) => e.action), ['member.remove', 'member.add'], 'the action filter ignores case, as the others do');
      assert.deepEqual((await listAuditEntries(org.admin, { action: 'user_' })).map((e) => e.action), [], '"_" is a character, not a wildcard');
      assert.deepEqual((await listAuditEntries(org.admin, { limit: 1 })).map((e) => e.action), ['user.block']);
      assert.deepEqual((await listAuditEntries(org.admin, { actor: 'ADMIN@contoso.com', target: 'carol@contoso.com' })).map((e) => e.action), ['user.block', 'user.add']);

      await assertRefusal(() => listAuditEntries(org.admin, { since: 'yesterday' }), InvalidInput, '"yesterday" is not an ISO 8601 time.');
      await assertRefusal(() => listAuditEntries(org.admin, { limit: 0 }), InvalidInput, 'The limit is a whole number from 1 to 10000.');
      await assertRefusal(() => listAuditEntries(org.admin, { limit: 1.5 }), InvalidInput, 'The limit is a whole number from 1 to 10000.');
      const dave = await org.as('dave@contoso.com', 'Dave-pass-123');
      await assertRefusal(() => listAuditEntries(dave, {}), Forbidden, messages.permissionDenied);
    });

    orgTest(open, 'passwords and their hashes never reach the audit log', async (org) => {
      const passwords = [adminPassword, 'Bob-pass-123', 'Exo-pass-123', 'Bob-pass-reset-1', 'Shared-pass-1', 'Sales-user-pass-1'];
      await addBob(org);
      await addUser(org.admin, { address: 'exo@contoso.com', displayName: 'Exo', password: 'Exo-pass-123', roles: ['exchange-admin'] });
      await resetPassword(org.admin, 'bob@contoso.com', 'Bob-pass-reset-1');
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      await resetPassword(org.admin, sales, 'Shared-pass-1');
      await convertMailbox(org.admin, sales, 'user', 'Sales-user-pass-1');
      await signIn(org.db, 'bob@contoso.com', 'Bob-pass-reset-1', 3600);
      await assertRefusal(() => addUser(org.admin, { address: 'bob@contoso.com', displayName: 'Bob', password: 'Never-stored-1' }), Conflict, messages.proxyAddressInUse('bob@contoso.com', 'Bob'));
      passwords.push('Never-stored-1');

      const entries = await listAuditEntries(org.admin, {});
      assert.deepEqual(new Set(entries.map((e) => e.action)),
        new Set(['organization.create', 'user.add', 'user.set-password', 'shared.add', 'mailbox.convert', 'session.sign-in']));
      const json = JSON.stringify(entries);
      for (const password of passwords) assert.ok(!json.includes(password), `the audit log holds no clear password (${password.slice(0, 3)}…)`);
      assert.ok(!/scrypt\$/.test(json), 'the audit log holds no password hash');
    });
  });
}
