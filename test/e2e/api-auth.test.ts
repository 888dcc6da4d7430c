import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  adminApi, assertProblem, assertRefused, assertStatus, auditLog, createUser, messages, signIn, withPassword, withToken, type Api,
} from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const locked = { status: 403, type: 'account-locked', detail: messages.accountLocked } as const;
const badCredentials = { status: 401, type: 'unauthenticated', detail: messages.badCredentials } as const;
const signInRequired = { status: 401, type: 'unauthenticated', detail: messages.signInRequired } as const;

describe('signing in', () => {
  let server: TestServer;
  let admin: Api;

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'alice@contoso.com', 'Alice Wilber', 'Alice-password-1');
    await createUser(admin, 'bob@contoso.com', 'Bob Kelly', 'Bob-password-1');
    await createUser(admin, 'carol@contoso.com', 'Carol Lee', 'Carol-password-1');
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('POST /auth/token returns a token that expires in the future and works as a Bearer token', async () => {
    const started = Date.now();
    const res = await server.api('POST', '/auth/token', { address: 'Alice@Contoso.com', password: 'Alice-password-1' }, null);
    assertStatus(res, 201);
    assert.match(res.body.token, /^mr_[A-Za-z0-9_-]{40,}$/);
    const expiresAt = Date.parse(res.body.expiresAt);
    assert.ok(expiresAt > started + 3600_000, `expiresAt ${res.body.expiresAt} is in the future`);
    assert.ok(expiresAt <= Date.now() + 12 * 3600_000 + 1000, 'the default session lasts 12 hours');
    assert.equal(res.body.principal.address, 'alice@contoso.com');

    const me = await server.api('GET', '/me', undefined, { token: res.body.token });
    assertStatus(me, 200);
    assert.deepEqual(me.body, { id: res.body.principal.id, address: 'alice@contoso.com', displayName: 'Alice Wilber', kind: 'user', roles: [] });

    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.actor, entry.action, entry.target], ['alice@contoso.com', 'session.sign-in', 'alice@contoso.com']);
  });

  test('a wrong password, or an unknown address, is refused with the same words and no audit entry', async () => {
    for (const attempt of [
      { address: 'alice@contoso.com', password: 'not-her-password' },
      { address: 'nobody@contoso.com', password: 'Alice-password-1' },
    ]) {
      await assertRefused(admin, () => server.api('POST', '/auth/token', attempt, null), badCredentials);
    }
    assertProblem(await server.api('GET', '/me', undefined, { user: 'alice@contoso.com', password: 'not-her-password' }), badCredentials);
  });

  test('no credentials → 401 with WWW-Authenticate; a bad token → 401', async () => {
    const res = await server.api('GET', '/me', undefined, null);
    assertProblem(res, signInRequired);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="mailroom", Basic realm="mailroom"');
    const forged = await server.api('GET', '/me', undefined, { token: 'mr_forged' });
    assertProblem(forged, signInRequired);
    assert.ok(forged.headers.get('www-authenticate'));
    assertProblem(await server.api('DELETE', '/auth/token', undefined, null), signInRequired);
  });

  test('a sign-in request without a password is invalid input', async () => {
    await assertRefused(admin, () => server.api('POST', '/auth/token', { address: 'alice@contoso.com' }, null),
      { status: 400, type: 'invalid-input', detail: "Invalid input: body must have required property 'password'." });
  });

  test('DELETE /auth/token signs out: the token is refused afterwards, other sessions keep working', async () => {
    const first = await signIn(server, 'bob@contoso.com', 'Bob-password-1');
    const second = await signIn(server, 'bob@contoso.com', 'Bob-password-1');
    const out = await server.api('DELETE', '/auth/token', undefined, { token: first });
    assertStatus(out, 204);
    assertProblem(await server.api('GET', '/me', undefined, { token: first }), signInRequired);
    assertStatus(await server.api('GET', '/me', undefined, { token: second }), 200);
  });

  test('blocking revokes the existing token at once (403 locked) and refuses token and Basic sign-in', async () => {
    const token = await signIn(server, 'carol@contoso.com', 'Carol-password-1');
    assertStatus(await withToken(server, token)('GET', '/me'), 200);

    const blocked = await admin('POST', '/users/block', { addresses: ['carol@contoso.com'] });
    assertStatus(blocked, 200);
    assert.deepEqual(blocked.body, [{ address: 'carol@contoso.com', signInBlocked: true, changed: true, sharedMailbox: false }]);

    assertProblem(await withToken(server, token)('GET', '/me'), locked);
    await assertRefused(admin, () => server.api('POST', '/auth/token', { address: 'carol@contoso.com', password: 'Carol-password-1' }, null), locked);
    assertProblem(await withPassword(server, 'carol@contoso.com', 'Carol-password-1')('GET', '/me'), locked);
    // The password is checked first: a wrong password does not reveal that the account exists and is locked.
    assertProblem(await withPassword(server, 'carol@contoso.com', 'wrong-password')('GET', '/me'), badCredentials);
  });

  test('unblocking lets the account sign in again, but a session from before the block stays revoked', async () => {
    const before = await signIn(server, 'alice@contoso.com', 'Alice-password-1');
    assertStatus(await admin('POST', '/users/block', { addresses: ['alice@contoso.com'] }), 200);
    assertStatus(await admin('POST', '/users/unblock', { addresses: ['alice@contoso.com'] }), 200);
    assertProblem(await withToken(server, before)('GET', '/me'), signInRequired);
    const after = await signIn(server, 'alice@contoso.com', 'Alice-password-1');
    assertStatus(await withToken(server, after)('GET', '/me'), 200);
  });

  test('a password reset ends the sessions that used the old password', async () => {
    const token = await signIn(server, 'bob@contoso.com', 'Bob-password-1');
    assertStatus(await admin('PUT', '/users/bob@contoso.com/password', { password: 'Bob-password-2' }), 200);
    assertProblem(await withToken(server, token)('GET', '/me'), signInRequired);
    assertProblem(await withPassword(server, 'bob@contoso.com', 'Bob-password-1')('GET', '/me'), badCredentials);
    assertStatus(await withPassword(server, 'bob@contoso.com', 'Bob-password-2')('GET', '/me'), 200);
  });
});

describe('roles', () => {
  let server: TestServer;
  let admin: Api;
  let plain: Api;
  let exchange: Api;
  const denied = { status: 403, type: 'forbidden', detail: messages.permissionDenied } as const;

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'user@contoso.com', 'Plain User', 'User-password-1');
    await createUser(admin, 'exadmin@contoso.com', 'Exchange Admin', 'Exadmin-password-1', ['exchange-admin']);
    await createUser(admin, 'target@contoso.com', 'Target User', 'Target-password-1');
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Support' }), 201);
    assertStatus(await admin('POST', '/groups', { address: 'team@contoso.com', displayName: 'Team', type: 'security' }), 201);
    plain = withToken(server, await signIn(server, 'user@contoso.com', 'User-password-1'));
    exchange = withToken(server, await signIn(server, 'exadmin@contoso.com', 'Exadmin-password-1'));
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('GET /me works for anyone signed in and shows the roles', async () => {
    assert.deepEqual((await plain('GET', '/me')).body.roles, []);
    assert.deepEqual((await exchange('GET', '/me')).body.roles, ['exchange-admin']);
    assert.deepEqual((await admin('GET', '/me')).body.roles, ['global-admin']);
  });

  test('a user without a role is refused every admin endpoint family, and nothing changes', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', '/domains'], ['POST', '/domains', { name: 'fabrikam.com' }], ['POST', '/domains/contoso.com/default'], ['DELETE', '/domains/contoso.com'],
      ['GET', '/users'], ['GET', '/users/target@contoso.com'], ['POST', '/users', { address: 'x@contoso.com', displayName: 'X', password: 'X-password-1' }],
      ['POST', '/users/block', { addresses: ['target@contoso.com'] }], ['POST', '/users/unblock', { addresses: ['target@contoso.com'] }],
      ['PUT', '/users/target@contoso.com/password', { password: 'Hijacked-password-1' }], ['PUT', '/users/user@contoso.com/roles', { roles: ['global-admin'] }],
      ['DELETE', '/users/target@contoso.com'], ['GET', '/users/user@contoso.com/mailbox-access'],
      ['GET', '/shared-mailboxes'], ['POST', '/shared-mailboxes', { displayName: 'Mine' }], ['GET', '/shared-mailboxes/suggest-address?name=Mine'],
      ['GET', '/shared-mailboxes/support@contoso.com'], ['DELETE', '/shared-mailboxes/support@contoso.com'],
      ['POST', '/shared-mailboxes/support@contoso.com/members', { members: ['user@contoso.com'] }], ['GET', '/shared-mailboxes/support@contoso.com/members'],
      ['GET', '/mailboxes/support@contoso.com/permissions'], ['POST', '/mailboxes/support@contoso.com/permissions', { trustee: 'user@contoso.com', rights: ['FullAccess'] }],
      ['GET', '/mailboxes/user@contoso.com/settings'], ['PATCH', '/mailboxes/user@contoso.com/settings', { hiddenFromAddressList: true }],
      ['POST', '/mailboxes/support@contoso.com/convert', { to: 'user', password: 'Support-password-1' }],
      ['POST', '/recipients/user@contoso.com/addresses', { address: 'boss@contoso.com' }],
      ['GET', '/groups'], ['POST', '/groups', { address: 'mine@contoso.com', displayName: 'Mine', type: 'distribution' }],
      ['POST', '/groups/team@contoso.com/members', { members: ['user@contoso.com'] }], ['DELETE', '/groups/team@contoso.com'],
      ['GET', '/audit'],
    ];
    const readBack = ['/domains', '/users?includeShared=true', '/users/user@contoso.com', '/shared-mailboxes', '/groups',
      '/mailboxes/support@contoso.com/permissions', '/mailboxes/user@contoso.com/settings'];
    for (const [method, path, body] of calls) {
      await assertRefused(admin, () => plain(method, path, body), denied, readBack);
    }
  });

  test('an Exchange Administrator manages recipients, shared mailboxes, groups and permissions', async () => {
    const user = await exchange('POST', '/users', { address: 'dave@contoso.com', displayName: 'Dave', password: 'Dave-password-1' });
    assertStatus(user, 201);
    assertStatus(await exchange('POST', '/users/block', { addresses: ['dave@contoso.com'] }), 200);
    assertStatus(await exchange('PUT', '/users/dave@contoso.com/password', { password: 'Dave-password-2' }), 200);
    assertStatus(await exchange('POST', '/shared-mailboxes', { displayName: 'Billing' }), 201);
    assertStatus(await exchange('POST', '/shared-mailboxes/billing@contoso.com/members', { members: ['target@contoso.com'] }), 200);
    assertStatus(await exchange('POST', '/mailboxes/billing@contoso.com/permissions', { trustee: 'team@contoso.com', rights: ['SendOnBehalf'] }), 200);
    assertStatus(await exchange('PATCH', '/mailboxes/billing@contoso.com/settings', { hiddenFromAddressList: true }), 200);
    assertStatus(await exchange('POST', '/groups', { address: 'billing-team@contoso.com', displayName: 'Billing Team', type: 'distribution' }), 201);
    assertStatus(await exchange('POST', '/groups/billing-team@contoso.com/members', { members: ['target@contoso.com'] }), 200);
    assertStatus(await exchange('POST', '/recipients/target@contoso.com/addresses', { address: 'tgt@contoso.com' }), 201);
    assertStatus(await exchange('GET', '/domains'), 200);
    assertStatus(await exchange('GET', '/audit'), 200);
    const entry = (await auditLog(admin)).find((e) => e.action === 'user.add' && e.target === 'dave@contoso.com');
    assert.equal(entry?.actor, 'exadmin@contoso.com');
  });

  test('an Exchange Administrator may not change domains or roles, nor the account of an administrator', async () => {
    const readBack = ['/domains', '/users?includeShared=true', '/users/target@contoso.com', '/users/admin@contoso.com'];
    const calls: [string, string, unknown?][] = [
      ['POST', '/domains', { name: 'fabrikam.com' }],
      ['DELETE', '/domains/contoso.com'],
      ['POST', '/domains/contoso.com/default'],
      ['PUT', '/users/target@contoso.com/roles', { roles: ['exchange-admin'] }],
      ['PUT', '/users/exadmin@contoso.com/roles', { roles: ['global-admin'] }],
      ['POST', '/users', { address: 'boss@contoso.com', displayName: 'Boss', password: 'Boss-password-1', roles: ['global-admin'] }],
      ['POST', '/users/block', { addresses: ['target@contoso.com', 'admin@contoso.com'] }],
      ['PUT', '/users/admin@contoso.com/password', { password: 'Hijacked-password-1' }],
      ['DELETE', '/users/admin@contoso.com'],
    ];
    for (const [method, path, body] of calls) await assertRefused(admin, () => exchange(method, path, body), denied, readBack);
    assertStatus(await server.api('GET', '/me'), 200);
  });

  test('a Global Administrator sets roles; the organization keeps one Global Administrator', async () => {
    const set = await admin('PUT', '/users/target@contoso.com/roles', { roles: ['exchange-admin'] });
    assertStatus(set, 200);
    assert.deepEqual(set.body.roles, ['exchange-admin']);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before, entry.after], ['user.set-roles', 'target@contoso.com', { roles: [] }, { roles: ['exchange-admin'] }]);
    const lastAdmin = { status: 400, type: 'invalid-input', detail: 'The organization must keep at least one Global Administrator who can sign in.' } as const;
    await assertRefused(admin, () => admin('PUT', '/users/admin@contoso.com/roles', { roles: [] }), lastAdmin, ['/users/admin@contoso.com']);
    await assertRefused(admin, () => admin('POST', '/users/block', { addresses: ['admin@contoso.com'] }), lastAdmin, ['/users/admin@contoso.com']);
    await assertRefused(admin, () => admin('PUT', '/users/target@contoso.com/roles', { roles: ['root'] }),
      { status: 400, type: 'invalid-input', detail: 'Invalid input: roles.0 must be one of: global-admin, exchange-admin.' }, ['/users/target@contoso.com']);
  });
});
