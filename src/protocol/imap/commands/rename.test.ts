import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('RENAME (RFC 3501 §6.3.5)', () => {
  it('parses both names', () => {
    assert.deepEqual(commandOf('A683 RENAME blurdybloop sarasoop'), { name: 'RENAME', from: 'blurdybloop', to: 'sarasoop' });
    assert.deepEqual(commandOf('A1 RENAME inbox "Old Mail"'), { name: 'RENAME', from: 'INBOX', to: 'Old Mail' });
  });

  it('needs both', () => {
    assert.equal(refusalOf('A1 RENAME a'), 'BAD Missing new mailbox name');
  });
});
