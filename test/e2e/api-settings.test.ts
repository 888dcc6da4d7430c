import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminApi, assertProblem, assertRefused, assertStatus, auditLog, createUser, messages, signIn, withToken, type Api } from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const GB = 1024 ** 3;
const invalid = (detail: string) => ({ status: 400, type: 'invalid-input', detail }) as const;

describe('mailbox settings', () => {
  let server: TestServer;
  let admin: Api;
  const box = 'salesteam@contoso.com';
  const path = `/mailboxes/${box}/settings`;
  const readBack = [path, `/shared-mailboxes/${box}`];
  const patch = (body: unknown) => admin('PATCH', path, body);

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'alice@contoso.com', 'Alice Wilber', 'Alice-password-1');
    assertStatus(await admin('POST', '/recipients/alice@contoso.com/addresses', { address: 'awilber@contoso.com' }), 201);
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), 201);
    assertStatus(await admin('POST', '/groups', { address: 'all@contoso.com', displayName: 'All Staff', type: 'distribution' }), 201);
    assertStatus(await admin('POST', '/groups', { address: 'readers@contoso.com', displayName: 'Readers', type: 'security', mailEnabled: false }), 201);
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('a new mailbox has the documented defaults, quotas 49 / 49.5 / 50 GB', async () => {
    const res = await admin('GET', path);
    assertStatus(res, 200);
    assert.deepEqual(res.body, {
      forwarding: { enabled: false, address: null, keepCopy: true },
      autoReply: { state: 'off', start: null, end: null, internalMessage: '', externalMessage: null, externalAudience: 'all' },
      sentItems: { copySentAs: false, copySendOnBehalf: false },
      quota: { warnBytes: 52613349376, sendBytes: 53150220288, receiveBytes: 53687091200 },
      hiddenFromAddressList: false,
      privateSeen: false,
    });
    assert.deepEqual(Object.values(res.body.quota), [49 * GB, 49.5 * GB, 50 * GB]);
    assertProblem(await admin('GET', '/mailboxes/all@contoso.com/settings'), { status: 404, type: 'not-found', detail: messages.unknownRecipient('all@contoso.com') });
  });

  test('forwarding inside the organization resolves to the primary address; keepCopy is kept', async () => {
    const res = await patch({ forwarding: { enabled: true, address: 'AWilber@contoso.com', keepCopy: false } });
    assertStatus(res, 200);
    assert.deepEqual(res.body.forwarding, { enabled: true, address: 'alice@contoso.com', keepCopy: false });
    assert.deepEqual((await admin('GET', path)).body.forwarding, { enabled: true, address: 'alice@contoso.com', keepCopy: false });
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.actor, entry.action, entry.target], ['admin@contoso.com', 'mailbox.set', box]);
    assert.deepEqual([entry.before.forwarding, entry.after.forwarding], [{ enabled: false, address: null, keepCopy: true }, { enabled: true, address: 'alice@contoso.com', keepCopy: false }]);
    assert.deepEqual((await patch({ forwarding: { address: 'all@contoso.com' } })).body.forwarding, { enabled: true, address: 'all@contoso.com', keepCopy: false }, 'to a group');
  });

  test('forwarding outside the organization, keeping a copy; then off', async () => {
    const res = await patch({ forwarding: { enabled: true, address: 'partner@gmail.com', keepCopy: true } });
    assert.deepEqual(res.body.forwarding, { enabled: true, address: 'partner@gmail.com', keepCopy: true });
    const off = await patch({ forwarding: { enabled: false } });
    assert.deepEqual(off.body.forwarding, { enabled: false, address: null, keepCopy: true });
    assert.deepEqual((await admin('GET', path)).body.forwarding, { enabled: false, address: null, keepCopy: true });
  });

  test('forwarding refusals', async () => {
    const several = invalid('Mail can be forwarded to one address only. To forward to several addresses, create a distribution group and forward to the group.');
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'a@gmail.com, b@gmail.com' } }), several, readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'a@gmail.com;b@gmail.com' } }), several, readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'a@gmail.com b@gmail.com' } }), several, readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true } }), invalid('Enter the address to forward to.'), readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'not-an-address' } }), invalid('"not-an-address" is not a valid email address.'), readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'ghost@contoso.com' } }),
      { status: 404, type: 'not-found', detail: messages.unknownRecipient('ghost@contoso.com') }, readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'SalesTeam@contoso.com' } }), invalid("A mailbox can't forward to itself."), readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'readers@contoso.com' } }),
      invalid('"Readers" doesn\'t receive mail, so mail can\'t be forwarded to it.'), readBack);
  });

  test('automatic replies: on, scheduled, off', async () => {
    const on = await patch({ autoReply: { state: 'on', internalMessage: 'We are at the trade fair until Monday.', externalMessage: 'Thanks, we will answer on Monday.', externalAudience: 'known' } });
    assertStatus(on, 200);
    assert.deepEqual(on.body.autoReply, {
      state: 'on', start: null, end: null, internalMessage: 'We are at the trade fair until Monday.', externalMessage: 'Thanks, we will answer on Monday.', externalAudience: 'known',
    });
    const scheduled = await patch({ autoReply: { state: 'scheduled', start: '2030-07-01T08:00:00+02:00', end: '2030-07-15T18:00:00Z' } });
    assertStatus(scheduled, 200);
    assert.deepEqual([scheduled.body.autoReply.state, scheduled.body.autoReply.start, scheduled.body.autoReply.end],
      ['scheduled', '2030-07-01T06:00:00.000Z', '2030-07-15T18:00:00.000Z']);
    assert.equal(scheduled.body.autoReply.internalMessage, 'We are at the trade fair until Monday.', 'absent fields keep their value');
    assert.deepEqual((await admin('GET', path)).body.autoReply, scheduled.body.autoReply);
    const off = await patch({ autoReply: { state: 'off', externalMessage: '   ' } });
    assert.deepEqual([off.body.autoReply.state, off.body.autoReply.start, off.body.autoReply.end, off.body.autoReply.externalMessage], ['off', null, null, null]);
  });

  test('automatic reply refusals: HTML, images, outside-only, bad schedules', async () => {
    const plainOnly = invalid('Automatic replies can contain plain text only: HTML and images are not allowed.');
    await assertRefused(admin, () => patch({ autoReply: { state: 'on', internalMessage: '<p>Out of office</p>' } }), plainOnly, readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'on', internalMessage: 'Away', externalMessage: 'Away <img src=x>' } }), plainOnly, readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'on', internalMessage: 'Logo: data:image/png;base64,iVBOR' } }), plainOnly, readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'on', internalMessage: '', externalMessage: 'Only for outsiders' } }),
      invalid('Enter the reply for people inside your organization. A reply only to people outside it is not possible.'), readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'scheduled', internalMessage: 'Away', start: '2030-07-15T00:00:00Z', end: '2030-07-01T00:00:00Z' } }),
      invalid('The end time of automatic replies must be after the start time.'), readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'scheduled', internalMessage: 'Away', start: '2030-07-01T00:00:00Z', end: '2030-07-01T00:00:00Z' } }),
      invalid('The end time of automatic replies must be after the start time.'), readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'scheduled', internalMessage: 'Away', start: '2030-07-01T00:00:00Z', end: null } }),
      invalid('Scheduled automatic replies need a start and an end time (ISO 8601).'), readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'on', internalMessage: 'x'.repeat(8001) } }),
      invalid('An automatic reply can be at most 8000 characters.'), readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'on', internalMessage: 'Away', start: '2030-07-01T00:00:00Z', end: '2030-07-02T00:00:00Z' } }),
      invalid('A start and end time apply only to scheduled automatic replies. Set the state to "scheduled", or leave the times out.'), readBack);
    await assertRefused(admin, () => patch({ autoReply: { state: 'vacation' } }),
      invalid('Invalid input: autoReply.state must be one of: off, on, scheduled.'), readBack);
  });

  test('sent item copies for Send As and Send on Behalf', async () => {
    const res = await patch({ sentItems: { copySentAs: true } });
    assert.deepEqual(res.body.sentItems, { copySentAs: true, copySendOnBehalf: false });
    const both = await patch({ sentItems: { copySendOnBehalf: true } });
    assert.deepEqual(both.body.sentItems, { copySentAs: true, copySendOnBehalf: true });
    assert.deepEqual((await admin('GET', path)).body.sentItems, { copySentAs: true, copySendOnBehalf: true });
  });

  test('quotas take sizes with units or bytes, and must keep warning ≤ send ≤ receive', async () => {
    const res = await patch({ quota: { warn: '10GB', send: '10.5 GB', receive: 12 * GB } });
    assertStatus(res, 200);
    assert.deepEqual(res.body.quota, { warnBytes: 10 * GB, sendBytes: 10.5 * GB, receiveBytes: 12 * GB });
    const ordering = invalid('Quotas must satisfy: issue warning ≤ prohibit send ≤ prohibit send and receive.');
    await assertRefused(admin, () => patch({ quota: { warn: '11GB' } }), ordering, readBack);
    await assertRefused(admin, () => patch({ quota: { send: '13GB' } }), ordering, readBack);
    await assertRefused(admin, () => patch({ quota: { warn: 0 } }), invalid('Quotas must be greater than zero.'), readBack);
    await assertRefused(admin, () => patch({ quota: { receive: '12 parsecs' } }),
      invalid('quota.receive: "12 parsecs" is not a valid size. Use a number of bytes or a value such as 49.5GB.'), readBack);
    await assertRefused(admin, () => patch({ quota: { warn: '1GB' }, hiddenFromAddressList: true, forwarding: { enabled: true, address: 'a@b.com, c@d.com' } }),
      invalid('Mail can be forwarded to one address only. To forward to several addresses, create a distribution group and forward to the group.'), readBack);
    assert.equal((await admin('GET', path)).body.quota.warnBytes, 10 * GB, 'a patch with one bad part changes nothing');
  });

  test('hidden from the address list', async () => {
    const res = await patch({ hiddenFromAddressList: true });
    assert.equal(res.body.hiddenFromAddressList, true);
    assert.equal((await admin('GET', path)).body.hiddenFromAddressList, true);
    assert.equal((await admin('GET', `/shared-mailboxes/${box}`)).body.hiddenFromAddressList, true);
    assert.equal((await patch({ hiddenFromAddressList: false })).body.hiddenFromAddressList, false);
  });

  test('schema validation: unknown property, wrong type', async () => {
    await assertRefused(admin, () => patch({ hidden: true }), invalid('Invalid input: body has an unknown property "hidden".'), readBack);
    await assertRefused(admin, () => patch({ forwarding: { enabled: true, address: 'a@gmail.com', copy: true } }),
      invalid('Invalid input: forwarding has an unknown property "copy".'), readBack);
    await assertRefused(admin, () => patch({ hiddenFromAddressList: 'sometimes' }), invalid('Invalid input: hiddenFromAddressList must be boolean.'), readBack);
    await assertRefused(admin, () => patch({ forwarding: 'partner@gmail.com' }), invalid('Invalid input: forwarding must be object.'), readBack);
    await assertRefused(admin, () => patch([]), invalid('Invalid input: body must be object.'), readBack);
  });
});

describe('converting between user and shared mailboxes', () => {
  let server: TestServer;
  let admin: Api;
  const signInAs = (address: string, password: string) => server.api('POST', '/auth/token', { address, password }, null);

  before(async () => {
    server = await startServer();
    admin = await adminApi(server);
    await createUser(admin, 'leaver@contoso.com', 'Lee Vern', 'Leaver-password-1');
    await createUser(admin, 'boss@contoso.com', 'Boss', 'Boss-password-1', ['exchange-admin']);
    await createUser(admin, 'mia@contoso.com', 'Mia', 'Mia-password-1');
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('user → shared: sign-in is locked at once, mail settings and grants stay', async () => {
    const token = await signIn(server, 'leaver@contoso.com', 'Leaver-password-1');
    assertStatus(await admin('PATCH', '/mailboxes/leaver@contoso.com/settings', { sentItems: { copySentAs: true } }), 200);
    assertStatus(await admin('POST', '/mailboxes/leaver@contoso.com/permissions', { trustee: 'mia@contoso.com', rights: ['FullAccess'] }), 200);

    const res = await admin('POST', '/mailboxes/leaver@contoso.com/convert', { to: 'shared' });
    assertStatus(res, 200);
    assert.deepEqual([res.body.kind, res.body.signInBlocked, res.body.primaryAddress], ['shared', true, 'leaver@contoso.com']);
    const entry = (await auditLog(admin))[0];
    assert.deepEqual([entry.action, entry.target, entry.before.kind, entry.after.kind], ['mailbox.convert', 'leaver@contoso.com', 'user', 'shared']);

    const locked = { status: 403, type: 'account-locked', detail: messages.accountLocked } as const;
    assertProblem(await signInAs('leaver@contoso.com', 'Leaver-password-1'), locked);
    assertProblem(await withToken(server, token)('GET', '/me'), locked);
    const shared = await admin('GET', '/shared-mailboxes/leaver@contoso.com');
    assertStatus(shared, 200);
    assert.deepEqual(shared.body.members.map((m: any) => m.trustee), ['mia@contoso.com']);
    assert.equal((await admin('GET', '/mailboxes/leaver@contoso.com/settings')).body.sentItems.copySentAs, true);
  });

  test('shared → user needs a password; then the account signs in with it', async () => {
    const readBack = ['/shared-mailboxes/leaver@contoso.com', '/users?includeShared=true'];
    await assertRefused(admin, () => admin('POST', '/mailboxes/leaver@contoso.com/convert', { to: 'user' }),
      invalid('Set a password for the user account when converting a shared mailbox to a user mailbox.'), readBack);
    await assertRefused(admin, () => admin('POST', '/mailboxes/leaver@contoso.com/convert', { to: 'user', password: 'short' }),
      invalid('A password must be 8 to 256 characters long.'), readBack);
    await assertRefused(admin, () => admin('POST', '/mailboxes/leaver@contoso.com/convert', { to: 'group' }),
      invalid('Invalid input: to must be one of: shared, user.'), readBack);

    const res = await admin('POST', '/mailboxes/leaver@contoso.com/convert', { to: 'user', password: 'Returned-password-1' });
    assertStatus(res, 200);
    assert.deepEqual([res.body.kind, res.body.signInBlocked], ['user', false]);
    assertStatus(await signInAs('leaver@contoso.com', 'Returned-password-1'), 201);
    assertProblem(await admin('GET', '/shared-mailboxes/leaver@contoso.com'), { status: 404, type: 'not-found', detail: messages.unknownRecipient('leaver@contoso.com') });
  });

  test('an account with an admin role is not converted to a shared mailbox', async () => {
    await assertRefused(admin, () => admin('POST', '/mailboxes/boss@contoso.com/convert', { to: 'shared' }),
      invalid('"boss@contoso.com" holds an admin role. Remove its roles before converting it to a shared mailbox.'), ['/users/boss@contoso.com']);
    assertStatus(await signInAs('boss@contoso.com', 'Boss-password-1'), 201);
  });
});
