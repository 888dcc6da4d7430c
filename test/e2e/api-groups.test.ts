import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminApi, assertProblem, assertRefused, assertStatus, auditLog, createUser, messages, type Api } from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const invalid = (detail: string) => ({ status: 400, type: 'invalid-input', detail }) as const;
const memberAddresses = (group: any): string[] => group.members.map((m: any) => m.address);

describe('distribution and security groups', () => {
  let server: TestServer;
  let admin: Api;

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'alice@contoso.com', 'Alice Wilber', 'Alice-password-1');
    await createUser(admin, 'bob@contoso.com', 'Bob Kelly', 'Bob-password-1');
    await createUser(admin, 'carol@contoso.com', 'Carol Lee', 'Carol-password-1');
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), 201);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('create a distribution group and a security group', async () => {
    const dl = await admin('POST', '/groups', { address: 'Everyone@contoso.com', displayName: 'Everyone', type: 'distribution' });
    assertStatus(dl, 201);
    assert.deepEqual([dl.body.kind, dl.body.primaryAddress, dl.body.displayName, dl.body.mailEnabled, dl.body.members],
      ['distribution', 'Everyone@contoso.com', 'Everyone', true, []]);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.actor, entry.action, entry.target, entry.after.kind], ['admin@contoso.com', 'group.add', 'Everyone@contoso.com', 'distribution']);

    const sg = await admin('POST', '/groups', { address: 'finance@contoso.com', displayName: 'Finance', type: 'security', mailEnabled: false });
    assertStatus(sg, 201);
    assert.deepEqual([sg.body.kind, sg.body.mailEnabled], ['security', false]);
    assertStatus(await admin('POST', '/groups', { address: 'auditors@contoso.com', displayName: 'Auditors', type: 'security' }), 201);

    const list = await admin('GET', '/groups');
    assert.deepEqual(list.body.map((g: any) => [g.displayName, g.kind]), [['Auditors', 'security'], ['Everyone', 'distribution'], ['Finance', 'security']]);
    assert.deepEqual((await admin('GET', '/groups?search=fin')).body.map((g: any) => g.primaryAddress), ['finance@contoso.com']);
    assert.deepEqual((await admin('GET', '/groups/everyone@contoso.com')).body, dl.body);
  });

  test('group creation refusals', async () => {
    const readBack = ['/groups'];
    await assertRefused(admin, () => admin('POST', '/groups', { address: 'news@contoso.com', displayName: 'News', type: 'distribution', mailEnabled: false }),
      invalid('A distribution group is always mail-enabled.'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups', { address: 'news@contoso.com', displayName: 'News', type: 'team' }),
      invalid('Invalid input: type must be one of: distribution, security.'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups', { address: 'news@gmail.com', displayName: 'News', type: 'distribution' }),
      invalid('The domain "gmail.com" isn\'t an accepted domain of your organization. Add it under Domains first, or use an address in an accepted domain.'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups', { address: 'FINANCE@contoso.com', displayName: 'Finance 2', type: 'security' }), {
      status: 409, type: 'address-in-use',
      detail: 'The proxy address "SMTP:FINANCE@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Finance". Please choose another proxy address.',
    }, readBack);
    await assertRefused(admin, () => admin('POST', '/groups', { address: 'news@contoso.com', displayName: '   ', type: 'distribution' }),
      invalid('A display name of 1 to 256 characters is required.'), readBack);
  });

  test('members are added, listed and removed', async () => {
    const added = await admin('POST', '/groups/everyone@contoso.com/members', { members: ['bob@contoso.com', 'ALICE@contoso.com', 'salesteam@contoso.com'] });
    assertStatus(added, 200);
    assert.deepEqual(added.body.members, [
      { address: 'alice@contoso.com', displayName: 'Alice Wilber', kind: 'user' },
      { address: 'bob@contoso.com', displayName: 'Bob Kelly', kind: 'user' },
      { address: 'salesteam@contoso.com', displayName: 'Sales Team', kind: 'shared' },
    ]);
    assert.deepEqual(memberAddresses((await admin('GET', '/groups/everyone@contoso.com')).body), ['alice@contoso.com', 'bob@contoso.com', 'salesteam@contoso.com']);
    const entries = (await auditLog(admin)).slice(0, 3).map((e) => [e.action, e.target, e.after.member]).sort();
    assert.deepEqual(entries, [
      ['group.member.add', 'Everyone@contoso.com', 'alice@contoso.com'],
      ['group.member.add', 'Everyone@contoso.com', 'bob@contoso.com'],
      ['group.member.add', 'Everyone@contoso.com', 'salesteam@contoso.com'],
    ]);

    const auditBefore = await auditLog(admin);
    const again = await admin('POST', '/groups/everyone@contoso.com/members', { members: ['alice@contoso.com'] });
    assertStatus(again, 200);
    assert.equal(again.body.members.length, 3, 'adding a member twice changes nothing');
    assert.deepEqual(await auditLog(admin), auditBefore, 'and records nothing');

    const removed = await admin('POST', '/groups/everyone@contoso.com/members/remove', { members: ['bob@contoso.com'] });
    assertStatus(removed, 200);
    assert.deepEqual(memberAddresses(removed.body), ['alice@contoso.com', 'salesteam@contoso.com']);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before], ['group.member.remove', 'Everyone@contoso.com', { member: 'bob@contoso.com' }]);
  });

  test('groups nest: a security group inside a distribution group and inside another security group', async () => {
    assertStatus(await admin('POST', '/groups/finance@contoso.com/members', { members: ['carol@contoso.com'] }), 200);
    const nested = await admin('POST', '/groups/everyone@contoso.com/members', { members: ['finance@contoso.com'] });
    assert.deepEqual(nested.body.members.find((m: any) => m.address === 'finance@contoso.com'), { address: 'finance@contoso.com', displayName: 'Finance', kind: 'security' });
    const inSecurity = await admin('POST', '/groups/auditors@contoso.com/members', { members: ['finance@contoso.com'] });
    assert.deepEqual(memberAddresses(inSecurity.body), ['finance@contoso.com']);
    // A grant to the outer security group reaches the user in the inner one.
    assertStatus(await admin('POST', '/mailboxes/salesteam@contoso.com/permissions', { trustee: 'auditors@contoso.com', rights: ['FullAccess'], automap: false }), 200);
    const access = await admin('GET', '/users/carol@contoso.com/mailbox-access');
    assert.deepEqual(access.body.map((a: any) => [a.mailbox, a.rights, a.via]), [['salesteam@contoso.com', ['FullAccess'], ['auditors@contoso.com']]]);
  });

  test('member refusals are atomic: one unknown or unfit member and nobody is added', async () => {
    const readBack = ['/groups/everyone@contoso.com', '/groups/finance@contoso.com', '/groups/auditors@contoso.com'];
    await assertRefused(admin, () => admin('POST', '/groups/everyone@contoso.com/members', { members: ['bob@contoso.com', 'ghost@contoso.com'] }),
      { status: 404, type: 'not-found', detail: messages.unknownRecipient('ghost@contoso.com') }, readBack);
    await assertRefused(admin, () => admin('POST', '/groups/finance@contoso.com/members', { members: ['bob@contoso.com', 'salesteam@contoso.com'] }),
      invalid('"Sales Team" can\'t be added to the security group "Finance": only users and security groups can be members of a security group.'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups/finance@contoso.com/members', { members: ['bob@contoso.com', 'everyone@contoso.com'] }),
      invalid('"Everyone" can\'t be added to the security group "Finance": only users and security groups can be members of a security group.'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups/everyone@contoso.com/members', { members: ['bob@contoso.com', 'everyone@contoso.com'] }),
      invalid('A group can\'t be a member of itself.'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups/everyone@contoso.com/members/remove', { members: ['alice@contoso.com', 'bob@contoso.com'] }),
      { status: 404, type: 'not-found', detail: '"bob@contoso.com" is not a member of "Everyone".' }, readBack);
    await assertRefused(admin, () => admin('POST', '/groups/alice@contoso.com/members', { members: ['bob@contoso.com'] }),
      { status: 404, type: 'not-found', detail: messages.unknownRecipient('alice@contoso.com') }, readBack);
    await assertRefused(admin, () => admin('POST', '/groups/everyone@contoso.com/members', { members: [] }),
      invalid('Invalid input: members must NOT have fewer than 1 items.'), readBack);
  });

  test('a group is removed; its members are not', async () => {
    const before = (await admin('GET', '/groups/finance@contoso.com')).body;
    assertStatus(await admin('DELETE', '/groups/finance@contoso.com'), 204);
    assertProblem(await admin('GET', '/groups/finance@contoso.com'), { status: 404, type: 'not-found', detail: messages.unknownRecipient('finance@contoso.com') });
    assert.ok(!memberAddresses((await admin('GET', '/groups/everyone@contoso.com')).body).includes('finance@contoso.com'));
    assertStatus(await admin('GET', '/users/carol@contoso.com'), 200);
    assert.deepEqual((await admin('GET', '/users/carol@contoso.com/mailbox-access')).body, []);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before], ['group.remove', 'finance@contoso.com', before]);
    await assertRefused(admin, () => admin('DELETE', '/groups/alice@contoso.com'),
      { status: 404, type: 'not-found', detail: messages.unknownRecipient('alice@contoso.com') }, ['/users/alice@contoso.com', '/groups']);
  });
});
