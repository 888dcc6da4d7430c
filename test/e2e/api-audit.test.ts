import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminApi, assertRefused, assertStatus, auditLog, createUser, encode, signIn, sleep, withToken, type Api } from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const invalid = (detail: string) => ({ status: 400, type: 'invalid-input', detail }) as const;

describe('audit log', () => {
  let server: TestServer;
  let admin: Api;
  let exchange: Api;
  let midpoint = '';
  const passwords = ['Admin-password-1', 'Alice-password-1', 'Alice-password-2', 'Exadmin-password-1', 'Shared-password-1', 'Converted-password-1'];

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'alice@contoso.com', 'Alice Wilber', 'Alice-password-1');
    await createUser(admin, 'exadmin@contoso.com', 'Exchange Admin', 'Exadmin-password-1', ['exchange-admin']);
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), 201);
    assertStatus(await admin('POST', '/shared-mailboxes/salesteam@contoso.com/members', { members: ['alice@contoso.com'] }), 200);
    await sleep(10);
    midpoint = new Date().toISOString();
    await sleep(10);
    exchange = withToken(server, await signIn(server, 'exadmin@contoso.com', 'Exadmin-password-1'));
    assertStatus(await exchange('PUT', '/users/alice@contoso.com/password', { password: 'Alice-password-2' }), 200);
    assertStatus(await exchange('PUT', '/users/salesteam@contoso.com/password', { password: 'Shared-password-1' }), 200);
    assertStatus(await exchange('POST', '/users/block', { addresses: ['alice@contoso.com'] }), 200);
    assertStatus(await exchange('PATCH', '/mailboxes/salesteam@contoso.com/settings', { forwarding: { enabled: true, address: 'alice@contoso.com' } }), 200);
    assertStatus(await admin('POST', '/mailboxes/salesteam@contoso.com/convert', { to: 'user', password: 'Converted-password-1' }), 200);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('every change is listed, newest first, with actor, action, target, before and after', async () => {
    const entries = await auditLog(admin);
    const changes = entries.filter((e) => !e.action.startsWith('session.'));
    assert.deepEqual(changes.map((e) => [e.actor, e.action, e.target]), [
      ['admin@contoso.com', 'mailbox.convert', 'salesteam@contoso.com'],
      ['exadmin@contoso.com', 'mailbox.set', 'salesteam@contoso.com'],
      ['exadmin@contoso.com', 'user.block', 'alice@contoso.com'],
      ['exadmin@contoso.com', 'user.set-password', 'salesteam@contoso.com'],
      ['exadmin@contoso.com', 'user.set-password', 'alice@contoso.com'],
      ['admin@contoso.com', 'member.add', 'salesteam@contoso.com'],
      ['admin@contoso.com', 'shared.add', 'salesteam@contoso.com'],
      ['admin@contoso.com', 'user.add', 'exadmin@contoso.com'],
      ['admin@contoso.com', 'user.add', 'alice@contoso.com'],
      ['system', 'organization.create', 'contoso.com'],
    ]);
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'every entry has its own id');
    for (const e of entries) assert.ok(!Number.isNaN(Date.parse(e.at)));
    const times = entries.map((e) => Date.parse(e.at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    const block = changes.find((e) => e.action === 'user.block');
    assert.deepEqual([block.before, block.after], [{ signInBlocked: false }, { signInBlocked: true }]);
    const convert = changes[0];
    assert.deepEqual([convert.before.kind, convert.before.signInBlocked, convert.after.kind, convert.after.signInBlocked], ['shared', true, 'user', false]);
    const forwarding = changes.find((e) => e.action === 'mailbox.set');
    assert.deepEqual([forwarding.before.forwarding.enabled, forwarding.after.forwarding.address], [false, 'alice@contoso.com']);
    const added = changes.find((e) => e.action === 'user.add' && e.target === 'alice@contoso.com');
    assert.deepEqual([added.before, added.after.primaryAddress, added.after.displayName, added.after.signInBlocked], [null, 'alice@contoso.com', 'Alice Wilber', false]);
    assert.deepEqual(entries.filter((e) => e.action === 'session.sign-in').map((e) => e.actor).sort(), ['admin@contoso.com', 'exadmin@contoso.com']);
  });

  test('no password, and no password hash, appears anywhere in the audit log', async () => {
    const text = JSON.stringify((await admin('GET', '/audit?limit=10000')).body);
    for (const password of passwords) assert.ok(!text.includes(password), `the audit log contains "${password}"`);
    assert.doesNotMatch(text, /scrypt\$/);
  });

  test('filters: target (case-insensitive), actor, action prefix, since, limit', async () => {
    const byTarget = await admin('GET', '/audit?target=ALICE@contoso.com');
    assertStatus(byTarget, 200);
    assert.deepEqual(byTarget.body.map((e: any) => e.action), ['user.block', 'user.set-password', 'user.add']);
    assert.ok(byTarget.body.every((e: any) => e.target === 'alice@contoso.com'));

    const byActor = await admin('GET', '/audit?actor=exadmin@contoso.com');
    assert.deepEqual(byActor.body.map((e: any) => e.action), ['mailbox.set', 'user.block', 'user.set-password', 'user.set-password', 'session.sign-in']);

    const byAction = await admin('GET', '/audit?action=user.');
    assert.deepEqual(byAction.body.map((e: any) => e.action), ['user.block', 'user.set-password', 'user.set-password', 'user.add', 'user.add']);
    assert.deepEqual((await admin('GET', '/audit?action=user.block')).body.map((e: any) => e.target), ['alice@contoso.com']);
    assert.deepEqual((await admin('GET', '/audit?action=nothing.')).body, []);

    const since = await admin('GET', `/audit?since=${encode(midpoint)}`);
    assertStatus(since, 200);
    assert.deepEqual(since.body.filter((e: any) => !e.action.startsWith('session.')).map((e: any) => e.action),
      ['mailbox.convert', 'mailbox.set', 'user.block', 'user.set-password', 'user.set-password']);
    assert.ok(since.body.every((e: any) => e.at >= midpoint));
    const future = await admin('GET', `/audit?since=${encode('2999-01-01T00:00:00Z')}`);
    assert.deepEqual(future.body, []);

    const combined = await admin('GET', `/audit?target=alice@contoso.com&since=${encode(midpoint)}&action=user.set`);
    assert.deepEqual(combined.body.map((e: any) => [e.actor, e.action]), [['exadmin@contoso.com', 'user.set-password']]);

    const limited = await admin('GET', '/audit?limit=2');
    assert.equal(limited.body.length, 2);
    assert.deepEqual(limited.body, (await auditLog(admin)).slice(0, 2));
  });

  test('an Exchange Administrator reads the audit log too', async () => {
    const res = await exchange('GET', '/audit?target=salesteam@contoso.com');
    assertStatus(res, 200);
    assert.equal(res.body[0].action, 'mailbox.convert');
  });

  test('invalid filters are refused', async () => {
    await assertRefused(admin, () => admin('GET', '/audit?since=yesterday'), invalid('"yesterday" is not an ISO 8601 time.'));
    await assertRefused(admin, () => admin('GET', '/audit?limit=0'), invalid('Invalid input: limit must be >= 1.'));
    await assertRefused(admin, () => admin('GET', '/audit?limit=lots'), invalid('Invalid input: limit must be integer.'));
  });
});
