import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem, assertStatus, createUser, signIn, withPassword, withToken } from './api-helpers.js';
import { removeDataDir, startServer, type TestServer } from './harness.js';

const bannerPassword = /^Password \(shown only now\): (\S+)$/m;

describe('first start without MAILROOM_ADMIN_PASSWORD, SIGTERM, restart', () => {
  let server: TestServer;
  let restarted: TestServer | undefined;
  let generated = '';

  before(async () => {
    server = await startServer({ env: { MAILROOM_ADMIN_PASSWORD: undefined, MAILROOM_LOG_LEVEL: 'info' } });
  });
  after(async () => {
    await server.stop();
    await restarted?.stop();
    removeDataDir(server.dataDir);
  });

  test('GET /healthz answers 200 {status: ok} without credentials', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    const body = await res.json() as { status: string; version: string };
    assert.equal(body.status, 'ok');
    assert.equal(typeof body.version, 'string');
  });

  test('prints the generated password once on stdout, and it signs in', async () => {
    const output = server.output();
    assert.match(output, /Global Administrator: admin@contoso\.com$/m);
    const match = bannerPassword.exec(output);
    assert.ok(match?.[1], `no generated password in the output:\n${output}`);
    generated = match[1];
    assert.ok(generated.length >= 16, 'a generated password is long');
    assert.equal(output.split(generated).length - 1, 1, 'the password appears exactly once in the output');
    assert.notEqual(generated, 'Admin-password-1');

    const token = await signIn(server, 'admin@contoso.com', generated);
    const me = await withToken(server, token)('GET', '/me');
    assertStatus(me, 200);
    assert.equal(me.body.address, 'admin@contoso.com');
    assert.deepEqual(me.body.roles, ['global-admin']);

    const harnessDefault = await server.api('GET', '/me', undefined, { user: 'admin@contoso.com', password: 'Admin-password-1' });
    assertProblem(harnessDefault, { status: 401, type: 'unauthenticated', detail: 'Your account or password is incorrect.' });
  });

  test('data made before a stop is there after a restart on the same data directory', async () => {
    const admin = withPassword(server, 'admin@contoso.com', generated);
    await createUser(admin, 'alice@contoso.com', 'Alice Wilber', 'Alice-password-1');
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Sales Team' }), 201);
    const outputBeforeStop = server.output();

    assert.equal(await server.stop(), 0, 'SIGTERM ends the process with exit code 0');
    const shutdown = server.output().slice(outputBeforeStop.length);
    assert.match(shutdown, /"signal":"SIGTERM".*"msg":"shutting down"/);
    assert.match(shutdown, /"msg":"mailroom stopped"/);
    assert.doesNotMatch(shutdown, /"level":(50|60)/, 'no error during shutdown');
    await assert.rejects(fetch(`${server.url}/healthz`), 'the listener is closed');

    restarted = await startServer({ dataDir: server.dataDir, env: { MAILROOM_ADMIN_PASSWORD: undefined } });
    assert.doesNotMatch(restarted.output(), /Password \(shown only now\)/);
    assert.ok(!restarted.output().includes(generated), 'the password is not printed again');

    const again = withPassword(restarted, 'admin@contoso.com', generated);
    const alice = await again('GET', '/users/alice@contoso.com');
    assertStatus(alice, 200);
    assert.equal(alice.body.displayName, 'Alice Wilber');
    assertStatus(await again('GET', '/shared-mailboxes/salesteam@contoso.com'), 200);
    assertStatus(await restarted.api('POST', '/auth/token', { address: 'alice@contoso.com', password: 'Alice-password-1' }, null), 201);
    const created = await again('GET', '/audit?action=organization.create');
    assert.equal(created.body.length, 1, 'the organization is created once, not on every start');
  });

  test('MAILROOM_ADMIN_PASSWORD on a later start does not change the existing administrator', async () => {
    assert.equal(await restarted?.stop(), 0);
    restarted = await startServer({ dataDir: server.dataDir, adminPassword: 'Other-password-9' });
    assert.doesNotMatch(restarted.output(), /Password \(shown only now\)/);
    const withNew = await restarted.api('GET', '/me');
    assertProblem(withNew, { status: 401, type: 'unauthenticated', detail: 'Your account or password is incorrect.' });
    assertStatus(await restarted.api('GET', '/me', undefined, { user: 'admin@contoso.com', password: generated }), 200);
  });
});

describe('MAILROOM_DOMAIN', () => {
  let server: TestServer;
  before(async () => { server = await startServer({ domain: 'northwind.test' }); });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  });

  test('the first administrator is admin@<domain> and the domain is the default accepted domain', async () => {
    assert.equal(server.adminAddress, 'admin@northwind.test');
    const me = await server.api('GET', '/me');
    assertStatus(me, 200);
    assert.equal(me.body.address, 'admin@northwind.test');
    const domains = await server.api('GET', '/domains');
    assertStatus(domains, 200);
    assert.deepEqual(domains.body.map((d: any) => [d.name, d.isDefault]), [['northwind.test', true]]);
    const suggested = await server.api('GET', '/shared-mailboxes/suggest-address?name=Help%20Desk');
    assert.deepEqual(suggested.body, { address: 'helpdesk@northwind.test' });
    assertProblem(await server.api('GET', '/me', undefined, { user: 'admin@contoso.com', password: server.adminPassword }),
      { status: 401, type: 'unauthenticated', detail: 'Your account or password is incorrect.' });
  });
});

describe('API surface', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => {
    assert.equal(await server.stop(), 0);
    removeDataDir(server.dataDir);
  });

  test('GET /api/v1/openapi.json is an OpenAPI 3.1 document of the API, readable without signing in', async () => {
    const res = await server.api('GET', '/openapi.json', undefined, null);
    assertStatus(res, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const doc = res.body;
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.deepEqual(doc.servers, [{ url: '/api/v1' }]);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['basic', 'bearer']);

    const paths = Object.keys(doc.paths);
    for (const expected of [
      '/auth/token', '/me', '/domains', '/domains/{name}', '/domains/{name}/default', '/users', '/users/{address}', '/users/block',
      '/users/unblock', '/users/{address}/password', '/users/{address}/roles', '/users/{address}/mailbox-access', '/shared-mailboxes',
      '/shared-mailboxes/suggest-address', '/shared-mailboxes/{address}', '/shared-mailboxes/{address}/members',
      '/mailboxes/{address}/permissions', '/mailboxes/{address}/settings', '/mailboxes/{address}/convert',
      '/recipients/{address}/addresses', '/groups', '/groups/{address}', '/groups/{address}/members', '/audit',
    ]) assert.ok(paths.includes(expected), `${expected} is documented`);
    assert.ok(!paths.some((p) => p.startsWith('/api/v1')), 'paths are relative to the server URL /api/v1');
    assert.ok(!paths.includes('/openapi.json'), 'the document does not list itself');

    const methods = ['get', 'put', 'post', 'delete', 'patch'];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      assert.match(path, /^\//);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, operation] of Object.entries<any>(item)) {
        assert.ok(methods.includes(method), `${path}: unexpected key ${method}`);
        assert.equal(typeof operation.responses, 'object', `${method} ${path} has responses`);
        assert.ok(Object.keys(operation.responses).length > 0);
        const pathParams = (operation.parameters ?? []).filter((p: any) => p.in === 'path');
        assert.deepEqual(pathParams.map((p: any) => p.name).sort(), templated, `${method} ${path}: path parameters match the template`);
        for (const p of pathParams) assert.equal(p.required, true);
        if (operation.requestBody) assert.ok(operation.requestBody.content['application/json'].schema, `${method} ${path} documents its body`);
      }
    }
    assert.ok(doc.paths['/mailboxes/{address}/settings'].patch.requestBody, 'the settings patch schema is documented');
  });

  test('an unknown route is a 404 problem, signed in or not', async () => {
    assertProblem(await server.api('GET', '/no-such-thing'), { status: 404, type: 'no-route', detail: 'There is no GET /api/v1/no-such-thing.' });
    assertProblem(await server.api('DELETE', '/users', undefined, null), { status: 404, type: 'no-route', detail: 'There is no DELETE /api/v1/users.' });
    const outside = await fetch(`${server.url}/nowhere?x=1`);
    assert.equal(outside.status, 404);
    assert.match(outside.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.deepEqual(await outside.json(), {
      type: 'urn:mailroom:problem:no-route', title: 'Not found', status: 404, detail: 'There is no GET /nowhere.', instance: '/nowhere',
    });
  });

  test('a body that is not JSON is a 400 problem', async () => {
    const res = await fetch(`${server.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"address":' });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.deepEqual(await res.json(), {
      type: 'urn:mailroom:problem:invalid-input', title: 'Invalid input', status: 400,
      detail: "Body is not valid JSON but content-type is set to 'application/json'", instance: '/api/v1/auth/token',
    });
  });
});
