import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminApi, assertProblem, assertRefused, assertStatus, auditLog, createUser, messages, type Api } from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const outside = (address: string) => ({
  status: 422,
  type: 'outside-organization',
  detail: `"${address}" is outside your organization. Shared mailboxes can only be used by people in your organization.`,
}) as const;
const unknown = (name: string) => ({ status: 404, type: 'not-found', detail: messages.unknownRecipient(name) }) as const;

describe('shared mailbox members and mailbox permissions', () => {
  let server: TestServer;
  let admin: Api;
  const shared = 'salesteam@contoso.com';
  const readBack = [`/shared-mailboxes/${shared}`, `/mailboxes/${shared}/permissions`];

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'alice@contoso.com', 'Alice Wilber', 'Alice-password-1');
    await createUser(admin, 'bob@contoso.com', 'Bob Kelly', 'Bob-password-1');
    await createUser(admin, 'carol@contoso.com', 'Carol Lee', 'Carol-password-1');
    await createUser(admin, 'dan@contoso.com', 'Dan Park', 'Dan-password-1');
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), 201);
    assertStatus(await admin('POST', '/groups', { address: 'all@contoso.com', displayName: 'All Staff', type: 'distribution' }), 201);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('adding members grants FullAccess (automapped) and SendAs', async () => {
    const added = await admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['alice@contoso.com', 'BOB@contoso.com'] });
    assertStatus(added, 200);
    const expected = [
      { trustee: 'alice@contoso.com', trusteeName: 'Alice Wilber', trusteeKind: 'user', rights: ['FullAccess', 'SendAs'], automap: true },
      { trustee: 'bob@contoso.com', trusteeName: 'Bob Kelly', trusteeKind: 'user', rights: ['FullAccess', 'SendAs'], automap: true },
    ];
    assert.deepEqual(added.body, expected);
    assert.deepEqual((await admin('GET', `/shared-mailboxes/${shared}/members`)).body, expected);
    const mailbox = (await admin('GET', `/shared-mailboxes/${shared}`)).body;
    assert.equal(mailbox.memberCount, 2);
    assert.deepEqual(mailbox.members, expected);
    assert.deepEqual((await admin('GET', `/mailboxes/${shared}/permissions`)).body, expected);

    const entries = (await auditLog(admin)).slice(0, 2).map((e) => [e.actor, e.action, e.target, e.after]);
    assert.deepEqual(entries.sort((a, b) => String(a[3].member).localeCompare(b[3].member)), [
      ['admin@contoso.com', 'member.add', shared, { member: 'alice@contoso.com', rights: ['FullAccess', 'SendAs'], automap: true }],
      ['admin@contoso.com', 'member.add', shared, { member: 'bob@contoso.com', rights: ['FullAccess', 'SendAs'], automap: true }],
    ]);
    const access = await admin('GET', '/users/alice@contoso.com/mailbox-access');
    assert.deepEqual(access.body, [{ mailbox: shared, displayName: 'Sales Team', kind: 'shared', rights: ['FullAccess', 'SendAs'], automap: true, via: ['direct'] }]);
  });

  test('a member added with automap false is not automapped', async () => {
    const added = await admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['carol@contoso.com'], automap: false });
    assertStatus(added, 200);
    assert.deepEqual(added.body.find((m: any) => m.trustee === 'carol@contoso.com'),
      { trustee: 'carol@contoso.com', trusteeName: 'Carol Lee', trusteeKind: 'user', rights: ['FullAccess', 'SendAs'], automap: false });
  });

  test('refusals: someone outside the organization, an unknown user, a distribution group, all or nothing', async () => {
    await assertRefused(admin, () => admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['someone@gmail.com'] }), outside('someone@gmail.com'), readBack);
    const res = await assertRefused(admin, () => admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['dan@contoso.com', 'someone@gmail.com'] }),
      outside('someone@gmail.com'), readBack);
    assert.match(res.body.detail, /Shared mailboxes can only be used by people in your organization/);
    await assertRefused(admin, () => admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['dan@contoso.com', 'nobody@contoso.com'] }),
      unknown('nobody@contoso.com'), readBack);
    await assertRefused(admin, () => admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['all@contoso.com'] }),
      { status: 400, type: 'invalid-input', detail: '"All Staff" can\'t be given mailbox permissions: only users and security groups can.' }, readBack);
    await assertRefused(admin, () => admin('POST', '/shared-mailboxes/nobox@contoso.com/members', { members: ['dan@contoso.com'] }), unknown('nobox@contoso.com'), readBack);
    await assertRefused(admin, () => admin('POST', '/shared-mailboxes/alice@contoso.com/members', { members: ['dan@contoso.com'] }),
      unknown('alice@contoso.com'), ['/mailboxes/alice@contoso.com/permissions']);
    await assertRefused(admin, () => admin('POST', `/shared-mailboxes/${shared}/members/remove`, { members: ['dan@contoso.com'] }),
      { status: 400, type: 'invalid-input', detail: '"dan@contoso.com" is not a member of "Sales Team".' }, readBack);
    await assertRefused(admin, () => admin('POST', `/shared-mailboxes/${shared}/members/remove`, { members: ['alice@contoso.com', 'dan@contoso.com'] }),
      { status: 400, type: 'invalid-input', detail: '"dan@contoso.com" is not a member of "Sales Team".' }, readBack);
  });

  test('removing a member removes every right they hold on the mailbox', async () => {
    assertStatus(await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'bob@contoso.com', rights: ['SendOnBehalf'] }), 200);
    const removed = await admin('POST', `/shared-mailboxes/${shared}/members/remove`, { members: ['bob@contoso.com'] });
    assertStatus(removed, 200);
    assert.deepEqual(removed.body.map((m: any) => m.trustee), ['alice@contoso.com', 'carol@contoso.com']);
    assert.ok(!(await admin('GET', `/mailboxes/${shared}/permissions`)).body.some((p: any) => p.trustee === 'bob@contoso.com'));
    assert.deepEqual((await admin('GET', '/users/bob@contoso.com/mailbox-access')).body, []);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before], ['member.remove', shared, { member: 'bob@contoso.com' }]);
  });

  test('permissions: SendOnBehalf alone, FullAccess without automapping; removing one right', async () => {
    // Rights are matched without regard to case, as PowerShell's -AccessRights are.
    const onBehalf = await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'dan@contoso.com', rights: ['sendonbehalf'] });
    assertStatus(onBehalf, 200);
    assert.deepEqual(onBehalf.body.find((p: any) => p.trustee === 'dan@contoso.com'),
      { trustee: 'dan@contoso.com', trusteeName: 'Dan Park', trusteeKind: 'user', rights: ['SendOnBehalf'], automap: false });
    assert.ok(!(await admin('GET', `/shared-mailboxes/${shared}/members`)).body.some((m: any) => m.trustee === 'dan@contoso.com'), 'SendOnBehalf alone is not membership');
    let entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before, entry.after], ['permission.add', shared,
      { trustee: 'dan@contoso.com', rights: [] },
      { trustee: 'dan@contoso.com', trusteeName: 'Dan Park', trusteeKind: 'user', rights: ['SendOnBehalf'], automap: false }]);

    const full = await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'dan@contoso.com', rights: ['FullAccess'], automap: false });
    assert.deepEqual(full.body.find((p: any) => p.trustee === 'dan@contoso.com').rights, ['FullAccess', 'SendOnBehalf']);
    assert.equal(full.body.find((p: any) => p.trustee === 'dan@contoso.com').automap, false);
    assert.deepEqual((await admin('GET', '/users/dan@contoso.com/mailbox-access')).body,
      [{ mailbox: shared, displayName: 'Sales Team', kind: 'shared', rights: ['FullAccess', 'SendOnBehalf'], automap: false, via: ['direct'] }]);

    const personal = await admin('POST', '/mailboxes/alice@contoso.com/permissions', { trustee: 'dan@contoso.com', rights: ['FullAccess'] });
    assert.deepEqual(personal.body.map((p: any) => [p.trustee, p.rights, p.automap]), [['dan@contoso.com', ['FullAccess'], true]], 'automap is on by default');

    const removed = await admin('POST', `/mailboxes/${shared}/permissions/remove`, { trustee: 'dan@contoso.com', rights: ['SendOnBehalf'] });
    assert.deepEqual(removed.body.find((p: any) => p.trustee === 'dan@contoso.com').rights, ['FullAccess']);
    entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.before.rights, entry.after.rights], ['permission.remove', ['FullAccess', 'SendOnBehalf'], ['FullAccess']]);
  });

  test('permission refusals leave the grants as they were', async () => {
    await assertRefused(admin, () => admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'someone@gmail.com', rights: ['SendAs'] }), outside('someone@gmail.com'), readBack);
    await assertRefused(admin, () => admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'nobody@contoso.com', rights: ['SendAs'] }), unknown('nobody@contoso.com'), readBack);
    await assertRefused(admin, () => admin('POST', `/mailboxes/${shared}/permissions`, { trustee: shared, rights: ['SendAs'] }),
      { status: 400, type: 'invalid-input', detail: '"Sales Team" can\'t be given mailbox permissions: only users and security groups can.' }, readBack);
    await assertRefused(admin, () => admin('POST', '/mailboxes/dan@contoso.com/permissions', { trustee: 'DAN@contoso.com', rights: ['SendAs'] }),
      { status: 400, type: 'invalid-input', detail: 'A mailbox already has every right on itself.' }, ['/mailboxes/dan@contoso.com/permissions']);
    await assertRefused(admin, () => admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'dan@contoso.com', rights: ['Owner'] }),
      { status: 400, type: 'invalid-input', detail: 'Unknown right "Owner". Rights: FullAccess, SendAs, SendOnBehalf, ReadOnly, NoDelete.' }, readBack);
    await assertRefused(admin, () => admin('POST', `/mailboxes/${shared}/permissions/remove`, { trustee: 'carol@contoso.com', rights: ['SendOnBehalf'] }),
      { status: 400, type: 'invalid-input', detail: `"carol@contoso.com" has none of SendOnBehalf on "${shared}".` }, readBack);
    await assertRefused(admin, () => admin('POST', '/mailboxes/all@contoso.com/permissions', { trustee: 'dan@contoso.com', rights: ['SendAs'] }), unknown('all@contoso.com'), readBack);
  });
});

describe('permissions through security groups', () => {
  let server: TestServer;
  let admin: Api;
  const shared = 'support@contoso.com';

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'erin@contoso.com', 'Erin Cho', 'Erin-password-1');
    await createUser(admin, 'finn@contoso.com', 'Finn Roy', 'Finn-password-1');
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Support' }), 201);
    assertStatus(await admin('POST', '/groups', { address: 'helpdesk@contoso.com', displayName: 'Help Desk', type: 'security' }), 201);
    assertStatus(await admin('POST', '/groups', { address: 'tier2@contoso.com', displayName: 'Tier 2', type: 'security', mailEnabled: false }), 201);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('a grant to a security group reaches a member added after the grant, and ends when they leave', async () => {
    const granted = await admin('POST', `/shared-mailboxes/${shared}/members`, { members: ['helpdesk@contoso.com'] });
    assert.deepEqual(granted.body, [{ trustee: 'helpdesk@contoso.com', trusteeName: 'Help Desk', trusteeKind: 'security', rights: ['FullAccess', 'SendAs'], automap: true }]);
    assert.deepEqual((await admin('GET', '/users/erin@contoso.com/mailbox-access')).body, []);

    assertStatus(await admin('POST', '/groups/helpdesk@contoso.com/members', { members: ['erin@contoso.com'] }), 200);
    assert.deepEqual((await admin('GET', '/users/erin@contoso.com/mailbox-access')).body,
      [{ mailbox: shared, displayName: 'Support', kind: 'shared', rights: ['FullAccess', 'SendAs'], automap: true, via: ['helpdesk@contoso.com'] }]);
    assert.deepEqual((await admin('GET', '/users/finn@contoso.com/mailbox-access')).body, []);

    assertStatus(await admin('POST', '/groups/helpdesk@contoso.com/members/remove', { members: ['erin@contoso.com'] }), 200);
    assert.deepEqual((await admin('GET', '/users/erin@contoso.com/mailbox-access')).body, []);
  });

  test('nested security groups pass the grant on; a direct grant and a group grant add up', async () => {
    assertStatus(await admin('POST', '/groups/helpdesk@contoso.com/members', { members: ['tier2@contoso.com'] }), 200);
    assertStatus(await admin('POST', '/groups/tier2@contoso.com/members', { members: ['finn@contoso.com'] }), 200);
    assertStatus(await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: 'finn@contoso.com', rights: ['SendOnBehalf'] }), 200);
    assert.deepEqual((await admin('GET', '/users/finn@contoso.com/mailbox-access')).body,
      [{ mailbox: shared, displayName: 'Support', kind: 'shared', rights: ['FullAccess', 'SendAs', 'SendOnBehalf'], automap: true, via: ['direct', 'helpdesk@contoso.com'] }]);
    assertProblem(await admin('GET', `/users/${shared}/mailbox-access`), unknown(shared));
  });
});
