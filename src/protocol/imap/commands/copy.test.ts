import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('COPY and MOVE (RFC 3501 §6.4.7, RFC 6851)', () => {
  it('parses both, with and without UID', () => {
    assert.deepEqual(commandOf('A003 COPY 2:4 MEETING'), { name: 'COPY', uid: false, sequence: [{ start: 2, end: 4 }], mailbox: 'MEETING' });
    assert.deepEqual(commandOf('a UID MOVE 42:69 foo'), { name: 'MOVE', uid: true, sequence: [{ start: 42, end: 69 }], mailbox: 'foo' });
    assert.deepEqual(commandOf('a MOVE 1:* "Deleted Items"'), { name: 'MOVE', uid: false, sequence: [{ start: 1, end: '*' }], mailbox: 'Deleted Items' });
  });

  it('refuses bad sets and missing mailboxes', () => {
    assert.equal(refusalOf('a COPY 1:x foo'), 'BAD Invalid sequence set: 1:x');
    assert.equal(refusalOf('a UID MOVE 1'), 'BAD Missing mailbox name');
  });
});
