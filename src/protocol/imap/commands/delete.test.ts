import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('DELETE (RFC 3501 §6.3.4)', () => {
  it('parses a mailbox', () => {
    assert.deepEqual(commandOf('A683 DELETE blurdybloop'), { name: 'DELETE', mailbox: 'blurdybloop' });
  });

  it('needs exactly one', () => {
    assert.equal(refusalOf('A1 DELETE'), 'BAD Missing mailbox name');
    assert.equal(refusalOf('A1 DELETE a b'), 'BAD Unexpected atom b after the arguments');
  });
});
