import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ensureOrganization } from '../admin/bootstrap.js';
import type { AdminContext } from '../admin/context.js';
import { addUser, resetPassword, setSignIn } from '../admin/users.js';
import { AccountLocked, Unauthenticated } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../store/sql/database.js';
import { authenticate, type Principal } from './accounts.js';
import { CredentialCache, type CredentialCacheOptions } from './credential-cache.js';
import { addProxyAddress, removeProxyAddress, requireRecipient } from './recipients.js';

describe('CredentialCache', () => {
  let dataDir: string;
  let opened: OpenDatabase;
  let admin: AdminContext;
  let verifications: number;
  let clock: number;
  const countingVerify: CredentialCacheOptions['verify'] = (db, identifier, password) => {
    verifications++;
    return authenticate(db, identifier, password);
  };
  const cache = (options: CredentialCacheOptions = {}) => new CredentialCache(opened.db, { verify: countingVerify, now: () => clock, ...options });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-credential-cache-'));
    opened = openDatabase({ dataDir });
    await migrateToLatest(opened);
    await ensureOrganization(opened.db, 'contoso.com', 'Admin-password-1');
    admin = { db: opened.db, actor: await authenticate(opened.db, 'admin@contoso.com', 'Admin-password-1') };
    for (const [address, name] of [['alice@contoso.com', 'Alice Wilber'], ['bob@contoso.com', 'Bob Kelly'], ['carol@contoso.com', 'Carol Diaz']] as const) {
      await addUser(admin, { address, displayName: name, password: `${name.split(' ')[0]}-password-1` });
    }
  });
  after(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    verifications = 0;
    clock = 1_000_000;
  });

  const refusal = async (action: () => Promise<Principal>, type: typeof Unauthenticated | typeof AccountLocked, message: string) => {
    await assert.rejects(action, (err: Error) => {
      assert.ok(err instanceof type, `expected ${type.name}, got ${err.name}: ${err.message}`);
      assert.equal(err.message, message);
      return true;
    });
  };

  test('a verified password is remembered: the next sign-in runs no scrypt and gives the same principal', async () => {
    const c = cache();
    const first = await c.authenticate('alice@contoso.com', 'Alice-password-1');
    const second = await c.authenticate('ALICE@contoso.com', 'Alice-password-1');
    assert.equal(verifications, 1);
    assert.deepEqual(second, first);
    assert.deepEqual([first.address, first.displayName, first.kind, first.roles], ['alice@contoso.com', 'Alice Wilber', 'user', []]);
  });

  test('wrong passwords are never remembered: each costs a full verification', async () => {
    const c = cache();
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    for (let i = 0; i < 3; i++) await refusal(() => c.authenticate('alice@contoso.com', 'wrong-password'), Unauthenticated, messages.badCredentials);
    await refusal(() => c.authenticate('nobody@contoso.com', 'Alice-password-1'), Unauthenticated, messages.badCredentials);
    assert.equal(verifications, 5);
    assert.equal(c.size, 1);
  });

  test('a password reset ends the remembered password at once; the new one works', async () => {
    const c = cache();
    await c.authenticate('bob@contoso.com', 'Bob-password-1');
    await resetPassword(admin, 'bob@contoso.com', 'Bob-password-2');
    await refusal(() => c.authenticate('bob@contoso.com', 'Bob-password-1'), Unauthenticated, messages.badCredentials);
    assert.equal(verifications, 2, 'the stale entry was not trusted');
    assert.equal((await c.authenticate('bob@contoso.com', 'Bob-password-2')).address, 'bob@contoso.com');
    await resetPassword(admin, 'bob@contoso.com', 'Bob-password-1');
  });

  test('a blocked account is refused on the very next attempt, with the locked message; unblocked, it verifies again', async () => {
    const c = cache();
    await c.authenticate('carol@contoso.com', 'Carol-password-1');
    await setSignIn(admin, ['carol@contoso.com'], true);
    await refusal(() => c.authenticate('carol@contoso.com', 'Carol-password-1'), AccountLocked, messages.accountLocked);
    assert.equal(verifications, 1, 'the block is seen on the cheap re-read');
    await refusal(() => c.authenticate('carol@contoso.com', 'Carol-password-1'), AccountLocked, messages.accountLocked);
    assert.equal(verifications, 2, 'a blocked account is not remembered');
    await setSignIn(admin, ['carol@contoso.com'], false);
    await c.authenticate('carol@contoso.com', 'Carol-password-1');
    assert.equal(verifications, 3);
  });

  test('entries expire after the TTL', async () => {
    const c = cache({ ttlMs: 60_000 });
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    clock += 59_000;
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    assert.equal(verifications, 1);
    clock += 2_000;
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    assert.equal(verifications, 2);
  });

  test('the cache is bounded: the least recently used entry goes first', async () => {
    const c = cache({ maxEntries: 2 });
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    await c.authenticate('bob@contoso.com', 'Bob-password-1');
    await c.authenticate('alice@contoso.com', 'Alice-password-1'); // alice is now the most recent
    await c.authenticate('carol@contoso.com', 'Carol-password-1'); // evicts bob
    assert.equal(c.size, 2);
    assert.equal(verifications, 3);
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    assert.equal(verifications, 3, 'alice stayed');
    await c.authenticate('bob@contoso.com', 'Bob-password-1');
    assert.equal(verifications, 4, 'bob was evicted');
  });

  test('an address that no longer leads to the account is not trusted from the cache', async () => {
    const c = cache();
    const alice = await requireRecipient(opened.db, 'alice@contoso.com');
    await addProxyAddress(opened.db, alice, 'awilber@contoso.com');
    await c.authenticate('awilber@contoso.com', 'Alice-password-1');
    await removeProxyAddress(opened.db, alice, 'awilber@contoso.com');
    await refusal(() => c.authenticate('awilber@contoso.com', 'Alice-password-1'), Unauthenticated, messages.badCredentials);
    assert.equal(verifications, 2);
  });

  test('concurrent sign-ins with the same credentials share one verification', async () => {
    const c = cache();
    const principals = await Promise.all(Array.from({ length: 8 }, () => c.authenticate('bob@contoso.com', 'Bob-password-1')));
    assert.equal(verifications, 1);
    assert.ok(principals.every((p) => p.address === 'bob@contoso.com'));
  });

  test('keys depend on the secret and hold neither the address nor the password', async () => {
    const c = cache({ secret: 'k1' });
    await c.authenticate('alice@contoso.com', 'Alice-password-1');
    const keys = [...(c as unknown as { entries: Map<string, unknown> }).entries.keys()];
    assert.equal(keys.length, 1);
    assert.doesNotMatch(keys[0]!, /alice|Alice-password-1/i);
  });
});
