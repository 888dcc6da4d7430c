import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startServer, type TestServer } from './harness.js';
import { testDatabaseUrl } from './postgres-url.js';

const baseUrl = testDatabaseUrl();

async function reachability(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${baseUrl} is not reachable (${(err as NodeJS.ErrnoException).code ?? String(err)}): two-node PostgreSQL test skipped`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const skipReason = await reachability();
if (skipReason) console.log(`# ${skipReason}`);

describe('two Mailroom nodes on one PostgreSQL database', { skip: skipReason ?? false }, () => {
  const schema = `mr_nodes_${randomBytes(6).toString('hex')}`;
  // The schema is chosen through the connection's search_path, as an operator would do.
  const databaseUrl = `${baseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let nodeA: TestServer;
  let nodeB: TestServer;

  before(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    // Both start at once: migrations and the first-start setup must happen exactly once.
    [nodeA, nodeB] = await Promise.all([
      startServer({ env: { DATABASE_URL: databaseUrl, MAILROOM_ADMIN_PASSWORD: undefined } }),
      startServer({ env: { DATABASE_URL: databaseUrl, MAILROOM_ADMIN_PASSWORD: undefined } }),
    ]);
  });

  after(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('creates the organization once and both nodes serve the same directory', async () => {
    const printed = [nodeA.output(), nodeB.output()].filter((o) => o.includes('Password (shown only now):'));
    assert.equal(printed.length, 1, 'exactly one node created the organization and printed the password');
    const password = /Password \(shown only now\): (\S+)/.exec(printed[0]!)![1]!;
    const auth = { user: 'admin@contoso.com', password };

    const created = await nodeA.api('POST', '/shared-mailboxes', { displayName: 'Info' }, auth);
    assert.equal(created.status, 201);
    assert.equal(created.body.primaryAddress, 'info@contoso.com');

    const seen = await nodeB.api('GET', '/shared-mailboxes/info@contoso.com', undefined, auth);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.signInBlocked, true);

    const conflict = await nodeB.api('POST', '/users', { address: 'INFO@contoso.com', displayName: 'Other', password: 'Other-pass-1' }, auth);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.detail, 'The proxy address "SMTP:INFO@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Info". Please choose another proxy address.');
  });

  it('a token issued by one node is honoured by the other, and a block on one is seen by the other at once', async () => {
    const password = /Password \(shown only now\): (\S+)/.exec(nodeA.output() + nodeB.output())![1]!;
    const auth = { user: 'admin@contoso.com', password };
    assert.equal((await nodeA.api('POST', '/users', { address: 'carol@contoso.com', displayName: 'Carol', password: 'Carol-pass-1' }, auth)).status, 201);
    const token = await nodeA.api('POST', '/auth/token', { address: 'carol@contoso.com', password: 'Carol-pass-1' }, null);
    assert.equal(token.status, 201);
    const me = await nodeB.api('GET', '/me', undefined, { token: token.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.address, 'carol@contoso.com');

    assert.equal((await nodeB.api('POST', '/users/block', { addresses: ['carol@contoso.com'] }, auth)).status, 200);
    const locked = await nodeA.api('GET', '/me', undefined, { token: token.body.token });
    assert.equal(locked.status, 403);
    assert.equal(locked.body.detail, 'Your account has been locked. Contact your support person to unlock it, then try again.');
  });
});
