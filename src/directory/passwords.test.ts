import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, unknowableSecret, verifyPassword } from './passwords.js';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    assert.match(hash, /^scrypt\$32768\$8\$1\$/);
    assert.ok(!hash.includes('correct horse'));
    assert.equal(await verifyPassword('correct horse', hash), true);
    assert.equal(await verifyPassword('correct horsE', hash), false);
  });
  it('salts every hash', async () => {
    assert.notEqual(await hashPassword('same'), await hashPassword('same'));
  });
  it('refuses a malformed stored hash rather than throwing', async () => {
    assert.equal(await verifyPassword('x', 'plain'), false);
  });
  it('makes secrets nobody can guess', () => {
    assert.ok(unknowableSecret().length >= 43);
    assert.notEqual(unknowableSecret(), unknowableSecret());
  });
});
