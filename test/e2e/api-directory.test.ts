import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminApi, assertProblem, assertRefused, assertStatus, auditLog, createUser, messages, type Api } from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const inUse = (address: string, owner: string) => ({
  status: 409,
  type: 'address-in-use',
  detail: `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner}". Please choose another proxy address.`,
}) as const;
const notAccepted = (domain: string) => ({
  status: 400,
  type: 'invalid-input',
  detail: `The domain "${domain}" isn't an accepted domain of your organization. Add it under Domains first, or use an address in an accepted domain.`,
}) as const;

describe('accepted domains', () => {
  let server: TestServer;
  let admin: Api;
  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('add, list, make default, remove', async () => {
    const added = await admin('POST', '/domains', { name: 'Fabrikam.COM.' });
    assertStatus(added, 201);
    assert.deepEqual([added.body.name, added.body.isDefault], ['fabrikam.com', false]);
    const list = await admin('GET', '/domains');
    assert.deepEqual(list.body.map((d: any) => [d.name, d.isDefault]), [['contoso.com', true], ['fabrikam.com', false]]);
    assert.deepEqual(list.body.find((d: any) => d.name === 'fabrikam.com'), added.body, 'the list shows the domain as it was returned');
    assert.deepEqual((await auditLog(admin))[0].action, 'domain.add');

    const made = await admin('POST', '/domains/fabrikam.com/default');
    assertStatus(made, 200);
    assert.deepEqual(made.body.map((d: any) => [d.name, d.isDefault]), [['contoso.com', false], ['fabrikam.com', true]]);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before, entry.after], ['domain.set-default', 'fabrikam.com', { default: 'contoso.com' }, { default: 'fabrikam.com' }]);
    assert.deepEqual((await admin('GET', '/shared-mailboxes/suggest-address?name=Front%20Desk')).body, { address: 'frontdesk@fabrikam.com' });

    assertStatus(await admin('POST', '/domains', { name: 'tailspin.com', default: true }), 201);
    assert.deepEqual((await admin('GET', '/domains')).body.filter((d: any) => d.isDefault).map((d: any) => d.name), ['tailspin.com']);
    assertStatus(await admin('POST', '/domains/contoso.com/default'), 200);
    assertStatus(await admin('DELETE', '/domains/tailspin.com'), 204);
    assert.deepEqual((await admin('GET', '/domains')).body.map((d: any) => d.name), ['contoso.com', 'fabrikam.com']);
    assert.deepEqual((await auditLog(admin))[0].action, 'domain.remove');
  });

  test('refusals: duplicate, invalid name, unknown domain, the default domain, a domain in use', async () => {
    const readBack = ['/domains'];
    await assertRefused(admin, () => admin('POST', '/domains', { name: 'CONTOSO.com' }),
      { status: 409, type: 'conflict', detail: 'The domain "contoso.com" is already an accepted domain.' }, readBack);
    await assertRefused(admin, () => admin('POST', '/domains', { name: 'not a domain' }),
      { status: 400, type: 'invalid-input', detail: '"not a domain" is not a valid domain name.' }, readBack);
    await assertRefused(admin, () => admin('POST', '/domains/nowhere.test/default'),
      { status: 404, type: 'not-found', detail: 'The domain "nowhere.test" wasn\'t found.' }, readBack);
    await assertRefused(admin, () => admin('DELETE', '/domains/nowhere.test'),
      { status: 404, type: 'not-found', detail: 'The domain "nowhere.test" wasn\'t found.' }, readBack);
    await assertRefused(admin, () => admin('DELETE', '/domains/contoso.com'),
      { status: 400, type: 'invalid-input', detail: '"contoso.com" is the default domain. Make another domain the default before removing it.' }, readBack);
    await createUser(admin, 'kim@fabrikam.com', 'Kim', 'Kim-password-1');
    await assertRefused(admin, () => admin('DELETE', '/domains/fabrikam.com'),
      { status: 409, type: 'conflict', detail: 'The domain "fabrikam.com" is still used by 1 address(es). Remove or change those addresses first.' }, readBack);
    await assertRefused(admin, () => admin('POST', '/domains', { name: 'x.com', primary: true }),
      { status: 400, type: 'invalid-input', detail: 'Invalid input: body has an unknown property "primary".' }, readBack);
  });
});

describe('shared mailboxes and addresses', () => {
  let server: TestServer;
  let admin: Api;
  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('a shared mailbox made from a name gets the suggested address and a blocked sign-in', async () => {
    const suggested = await admin('GET', '/shared-mailboxes/suggest-address?name=Sales%20Team');
    assertStatus(suggested, 200);
    assert.deepEqual(suggested.body, { address: 'salesteam@contoso.com' });
    assert.deepEqual((await admin('GET', '/shared-mailboxes/suggest-address?name=%C3%89quipe%20Ventes')).body, { address: 'equipeventes@contoso.com' });

    const created = await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' });
    assertStatus(created, 201);
    assert.equal(created.body.primaryAddress, 'salesteam@contoso.com');
    assert.equal(created.body.kind, 'shared');
    assert.equal(created.body.signInBlocked, true);
    assert.deepEqual(created.body.roles, []);
    assert.deepEqual(created.body.members, []);
    assert.deepEqual(await admin('GET', '/shared-mailboxes/SalesTeam@Contoso.com').then((r) => r.body), created.body);
    assert.deepEqual((await admin('GET', '/shared-mailboxes')).body.map((m: any) => m.primaryAddress), ['salesteam@contoso.com']);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.actor, entry.action, entry.target, entry.after.primaryAddress], ['admin@contoso.com', 'shared.add', 'salesteam@contoso.com', 'salesteam@contoso.com']);
    assert.ok(!(await admin('GET', '/users')).body.some((u: any) => u.primaryAddress === 'salesteam@contoso.com'), 'not an active user');
    assert.ok((await admin('GET', '/users?includeShared=true')).body.some((u: any) => u.primaryAddress === 'salesteam@contoso.com'));
  });

  test('a shared mailbox with an explicit address; suggest-address refusals', async () => {
    const created = await admin('POST', '/shared-mailboxes', { displayName: 'Reception Desk', address: 'front@contoso.com' });
    assertStatus(created, 201);
    assert.equal(created.body.primaryAddress, 'front@contoso.com');
    assert.equal(created.body.displayName, 'Reception Desk');
    assertProblem(await admin('GET', '/shared-mailboxes/suggest-address?name=%21%21%21'),
      { status: 400, type: 'invalid-input', detail: 'The name has no letters or digits to make an address from. Enter the address yourself.' });
    assertProblem(await admin('GET', '/shared-mailboxes/suggest-address?name=Sales&domain=gmail.com'),
      notAccepted('gmail.com'));
    await assertRefused(admin, () => admin('POST', '/shared-mailboxes', { displayName: '***' }),
      { status: 400, type: 'invalid-input', detail: 'The name has no letters or digits to make an address from. Enter the address yourself.' }, ['/shared-mailboxes']);
    await assertRefused(admin, () => admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), inUse('salesteam@contoso.com', 'Sales Team'), ['/shared-mailboxes']);
  });

  test('an address is unique across the organization, case-insensitively', async () => {
    const info = await admin('POST', '/shared-mailboxes', { displayName: 'Info' });
    assertStatus(info, 201);
    assert.equal(info.body.primaryAddress, 'info@contoso.com');
    const readBack = ['/users?includeShared=true', '/groups'];
    const res = await assertRefused(admin, () => admin('POST', '/users', { address: 'info@contoso.com', displayName: 'Info User', password: 'Info-password-1' }),
      inUse('info@contoso.com', 'Info'), readBack);
    assert.equal(res.body.detail,
      'The proxy address "SMTP:info@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info". Please choose another proxy address.');
    // Compared case-insensitively; the message names the address as it was typed (as the directory conformance suite specifies).
    await assertRefused(admin, () => admin('POST', '/users', { address: 'INFO@contoso.com', displayName: 'Info User', password: 'Info-password-1' }),
      inUse('INFO@contoso.com', 'Info'), readBack);
    await assertRefused(admin, () => admin('POST', '/groups', { address: 'Info@Contoso.com', displayName: 'Info Group', type: 'distribution' }),
      inUse('Info@contoso.com', 'Info'), readBack);
  });

  test('info@contoso.com and info@fabrikam.com coexist once fabrikam.com is accepted', async () => {
    await assertRefused(admin, () => admin('POST', '/shared-mailboxes', { displayName: 'Info Fabrikam', address: 'info@fabrikam.com' }),
      notAccepted('fabrikam.com'), ['/shared-mailboxes']);
    assertStatus(await admin('POST', '/domains', { name: 'fabrikam.com' }), 201);
    const fabrikam = await admin('POST', '/shared-mailboxes', { displayName: 'Info Fabrikam', address: 'info@fabrikam.com' });
    assertStatus(fabrikam, 201);
    assert.equal((await admin('GET', '/shared-mailboxes/info@contoso.com')).body.displayName, 'Info');
    assert.equal((await admin('GET', '/shared-mailboxes/info@fabrikam.com')).body.displayName, 'Info Fabrikam');
  });

  test('addresses outside the accepted domains, or malformed, are refused', async () => {
    const readBack = ['/users?includeShared=true'];
    await assertRefused(admin, () => admin('POST', '/users', { address: 'eve@gmail.com', displayName: 'Eve', password: 'Eve-password-1' }), notAccepted('gmail.com'), readBack);
    await assertRefused(admin, () => admin('POST', '/users', { address: 'eve at contoso.com', displayName: 'Eve', password: 'Eve-password-1' }),
      { status: 400, type: 'invalid-input', detail: '"eve at contoso.com" is not a valid email address.' }, readBack);
    await assertRefused(admin, () => admin('POST', '/users', { address: 'eve@contoso.com', displayName: 'Eve', password: 'short' }),
      { status: 400, type: 'invalid-input', detail: 'A password must be 8 to 256 characters long.' }, readBack);
  });

  test('proxy addresses are added and removed; the primary one stays', async () => {
    const added = await admin('POST', '/recipients/salesteam@contoso.com/addresses', { address: 'Sales@fabrikam.com' });
    assertStatus(added, 201);
    assert.deepEqual(added.body.proxyAddresses, ['Sales@fabrikam.com']);
    assert.equal((await admin('GET', '/shared-mailboxes/sales@fabrikam.com')).body.primaryAddress, 'salesteam@contoso.com', 'found by its proxy address');
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before, entry.after],
      ['address.add', 'salesteam@contoso.com', { proxyAddresses: [] }, { proxyAddresses: ['Sales@fabrikam.com'] }]);

    const readBack = ['/shared-mailboxes/salesteam@contoso.com'];
    await assertRefused(admin, () => admin('POST', '/recipients/front@contoso.com/addresses', { address: 'SALES@fabrikam.com' }), inUse('SALES@fabrikam.com', 'Sales Team'), readBack);
    await assertRefused(admin, () => admin('POST', '/recipients/salesteam@contoso.com/addresses', { address: 'sales@gmail.com' }), notAccepted('gmail.com'), readBack);
    await assertRefused(admin, () => admin('POST', '/recipients/nobody@contoso.com/addresses', { address: 'sales2@contoso.com' }),
      { status: 404, type: 'not-found', detail: messages.unknownRecipient('nobody@contoso.com') }, readBack);
    await assertRefused(admin, () => admin('DELETE', '/recipients/salesteam@contoso.com/addresses/salesteam@contoso.com'),
      { status: 400, type: 'invalid-input', detail: '"salesteam@contoso.com" is the primary address of "Sales Team" and can\'t be removed.' }, readBack);
    await assertRefused(admin, () => admin('DELETE', '/recipients/salesteam@contoso.com/addresses/info@contoso.com'),
      { status: 404, type: 'not-found', detail: '"info@contoso.com" is not an address of "Sales Team".' }, readBack);

    const removed = await admin('DELETE', '/recipients/salesteam@contoso.com/addresses/sales@fabrikam.com');
    assertStatus(removed, 200);
    assert.deepEqual(removed.body.proxyAddresses, []);
    assertProblem(await admin('GET', '/shared-mailboxes/sales@fabrikam.com'), { status: 404, type: 'not-found', detail: messages.unknownRecipient('sales@fabrikam.com') });
  });
});

describe('blocking and unblocking sign-in', () => {
  let server: TestServer;
  let admin: Api;
  const signInAs = (address: string, password: string) => server.api('POST', '/auth/token', { address, password }, null);
  const locked = { status: 403, type: 'account-locked', detail: messages.accountLocked } as const;

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    for (const name of ['ann', 'ben', 'cat']) await createUser(admin, `${name}@contoso.com`, name.toUpperCase(), `${name}-password-1`);
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), 201);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('a password reset of a shared mailbox keeps it blocked; an explicit unblock lets it sign in', async () => {
    const reset = await admin('PUT', '/users/salesteam@contoso.com/password', { password: 'Shared-password-1' });
    assertStatus(reset, 200);
    assert.equal(reset.body.signInBlocked, true);
    assert.equal((await auditLog(admin))[0].action, 'user.set-password');
    assertProblem(await signInAs('salesteam@contoso.com', 'Shared-password-1'), locked);
    assert.equal((await admin('GET', '/shared-mailboxes/salesteam@contoso.com')).body.signInBlocked, true);

    const unblocked = await admin('POST', '/users/unblock', { addresses: ['salesteam@contoso.com'] });
    assertStatus(unblocked, 200);
    assert.deepEqual(unblocked.body, [{ address: 'salesteam@contoso.com', signInBlocked: false, changed: true, sharedMailbox: true }]);
    assertStatus(await signInAs('salesteam@contoso.com', 'Shared-password-1'), 201);
    assertStatus(await admin('POST', '/users/block', { addresses: ['salesteam@contoso.com'] }), 200);
    assertProblem(await signInAs('salesteam@contoso.com', 'Shared-password-1'), locked);
  });

  test('several accounts are blocked and unblocked at once', async () => {
    const blocked = await admin('POST', '/users/block', { addresses: ['ann@contoso.com', 'BEN@contoso.com', 'ann@contoso.com'] });
    assertStatus(blocked, 200);
    assert.deepEqual(blocked.body, [
      { address: 'ann@contoso.com', signInBlocked: true, changed: true, sharedMailbox: false },
      { address: 'ben@contoso.com', signInBlocked: true, changed: true, sharedMailbox: false },
    ]);
    const entries = (await auditLog(admin)).slice(0, 2).map((e) => [e.action, e.target, e.before, e.after]);
    assert.deepEqual(entries.sort(), [
      ['user.block', 'ann@contoso.com', { signInBlocked: false }, { signInBlocked: true }],
      ['user.block', 'ben@contoso.com', { signInBlocked: false }, { signInBlocked: true }],
    ]);
    assertProblem(await signInAs('ann@contoso.com', 'ann-password-1'), locked);
    assertProblem(await signInAs('ben@contoso.com', 'ben-password-1'), locked);
    assertStatus(await signInAs('cat@contoso.com', 'cat-password-1'), 201);

    const again = await admin('POST', '/users/block', { addresses: ['ann@contoso.com'] });
    assert.deepEqual(again.body, [{ address: 'ann@contoso.com', signInBlocked: true, changed: false, sharedMailbox: false }]);

    const unblocked = await admin('POST', '/users/unblock', { addresses: ['ann@contoso.com', 'ben@contoso.com'] });
    assert.deepEqual(unblocked.body.map((r: any) => [r.address, r.signInBlocked, r.changed]), [['ann@contoso.com', false, true], ['ben@contoso.com', false, true]]);
    assertStatus(await signInAs('ann@contoso.com', 'ann-password-1'), 201);
    assertStatus(await signInAs('ben@contoso.com', 'ben-password-1'), 201);
  });

  test('a bulk block with one unknown address is refused whole: nobody is blocked', async () => {
    const readBack = ['/users/ann@contoso.com', '/users/ben@contoso.com', '/users/cat@contoso.com'];
    await assertRefused(admin, () => admin('POST', '/users/block', { addresses: ['ann@contoso.com', 'nobody@contoso.com', 'cat@contoso.com'] }),
      { status: 404, type: 'not-found', detail: messages.unknownRecipient('nobody@contoso.com') }, readBack);
    for (const name of ['ann', 'cat']) assertStatus(await signInAs(`${name}@contoso.com`, `${name}-password-1`), 201);
    await assertRefused(admin, () => admin('POST', '/users/block', { addresses: [] }),
      { status: 400, type: 'invalid-input', detail: 'Invalid input: addresses must NOT have fewer than 1 items.' }, readBack);
  });
});
