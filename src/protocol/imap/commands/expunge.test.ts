import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('EXPUNGE and UID EXPUNGE (RFC 3501 §6.4.3, RFC 4315 §2.1)', () => {
  it('parses both forms', () => {
    assert.deepEqual(commandOf('A202 EXPUNGE'), { name: 'EXPUNGE', uids: null });
    assert.deepEqual(commandOf('A003 UID EXPUNGE 3000:3002'), { name: 'EXPUNGE', uids: [{ start: 3000, end: 3002 }] });
  });

  it('refuses a set without UID, and UID without a set', () => {
    assert.equal(refusalOf('A1 EXPUNGE 1:2'), 'BAD Unexpected atom 1:2 after the arguments');
    assert.equal(refusalOf('A1 UID EXPUNGE'), 'BAD Missing UID set');
    assert.equal(refusalOf('A1 UID EXPUNGE 0'), 'BAD Invalid UID set: 0');
  });
});
