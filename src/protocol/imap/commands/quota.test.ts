import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('QUOTA commands (RFC 9208 §4)', () => {
  it('parses the RFC 9208 examples', () => {
    assert.deepEqual(commandOf('G0001 GETQUOTA "!partition/sda4"'), { name: 'GETQUOTA', root: '!partition/sda4' });
    assert.deepEqual(commandOf('G0002 GETQUOTAROOT INBOX'), { name: 'GETQUOTAROOT', mailbox: 'INBOX' });
    assert.deepEqual(commandOf('S0000 SETQUOTA "User quota" (STORAGE 510)'), { name: 'SETQUOTA', root: 'User quota', limits: [{ resource: 'STORAGE', limit: 510 }] });
    assert.deepEqual(commandOf('S1 SETQUOTA "" ()'), { name: 'SETQUOTA', root: '', limits: [] });
  });

  it('refuses malformed limits', () => {
    assert.equal(refusalOf('S1 SETQUOTA "" (STORAGE)'), 'BAD Missing resource limit');
    assert.equal(refusalOf('S1 SETQUOTA "" (STORAGE x)'), 'BAD Invalid resource limit: x');
    assert.equal(refusalOf('S1 SETQUOTA "" (STORAGE 1 storage 2)'), 'BAD Resource STORAGE given twice');
    assert.equal(refusalOf('S1 GETQUOTA'), 'BAD Missing quota root');
  });
});
