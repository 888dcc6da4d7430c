import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('STORE (RFC 3501 §6.4.6, RFC 7162 §3.1.3)', () => {
  it('parses the RFC 3501 examples', () => {
    assert.deepEqual(commandOf('a005 store 12 +flags \\deleted'), {
      name: 'STORE', uid: false, sequence: [{ start: 12, end: 12 }], operation: 'add', silent: false, flags: ['\\Deleted'], unchangedSince: null,
    });
    assert.deepEqual(commandOf('A003 STORE 2:4 +FLAGS (\\Deleted)'), {
      name: 'STORE', uid: false, sequence: [{ start: 2, end: 4 }], operation: 'add', silent: false, flags: ['\\Deleted'], unchangedSince: null,
    });
    assert.deepEqual(commandOf('A004 STORE 1 -FLAGS \\Seen \\Flagged'), {
      name: 'STORE', uid: false, sequence: [{ start: 1, end: 1 }], operation: 'remove', silent: false, flags: ['\\Seen', '\\Flagged'], unchangedSince: null,
    });
    assert.deepEqual(commandOf('A5 STORE 1:* FLAGS ()'), {
      name: 'STORE', uid: false, sequence: [{ start: 1, end: '*' }], operation: 'replace', silent: false, flags: [], unchangedSince: null,
    });
  });

  it('parses the RFC 7162 §3.1.3 examples', () => {
    assert.deepEqual(commandOf('a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)'), {
      name: 'STORE', uid: true, sequence: [{ start: 6, end: 6 }, { start: 4, end: 4 }, { start: 8, end: 8 }],
      operation: 'add', silent: true, flags: ['\\Deleted'], unchangedSince: 12121230045,
    });
    assert.deepEqual(commandOf('a104 STORE 7,5,9 (UNCHANGEDSINCE 0) FLAGS.SILENT ($NoJunk)'), {
      name: 'STORE', uid: false, sequence: [{ start: 7, end: 7 }, { start: 5, end: 5 }, { start: 9, end: 9 }],
      operation: 'replace', silent: true, flags: ['$NoJunk'], unchangedSince: 0,
    });
  });

  it('refuses bad items and flags', () => {
    assert.equal(refusalOf('a STORE 1 +FLAGS'), 'BAD Missing flags');
    assert.equal(refusalOf('a STORE 1 LABELS (x)'), 'BAD Unknown STORE data item LABELS');
    assert.equal(refusalOf('a STORE 1 +FLAGS (\\Recent)'), 'BAD Invalid flag \\Recent');
    assert.equal(refusalOf('a STORE 1 +FLAGS (\\Seen) extra'), 'BAD Unexpected atom extra after the arguments');
    assert.equal(refusalOf('a STORE 1 (UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS ()'), 'BAD Unknown or repeated STORE modifier UNCHANGEDSINCE');
    assert.equal(refusalOf('a STORE 1 FLAGS (a%b)'), 'BAD Invalid flag a%b');
  });
});
