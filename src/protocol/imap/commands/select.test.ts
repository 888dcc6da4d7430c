import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('SELECT and EXAMINE (RFC 3501 §6.3.1, RFC 7162)', () => {
  it('parses plain SELECT and EXAMINE', () => {
    assert.deepEqual(commandOf('a002 select inbox'), { name: 'SELECT', mailbox: 'INBOX', condstore: false, qresync: null });
    assert.deepEqual(commandOf('A932 EXAMINE blurdybloop'), { name: 'EXAMINE', mailbox: 'blurdybloop', condstore: false, qresync: null });
    assert.deepEqual(commandOf('A1 SELECT "Sent Items"'), { name: 'SELECT', mailbox: 'Sent Items', condstore: false, qresync: null });
  });

  it('parses CONDSTORE (RFC 7162 §3.1.8)', () => {
    assert.deepEqual(commandOf('A160 SELECT INBOX (CONDSTORE)'), { name: 'SELECT', mailbox: 'INBOX', condstore: true, qresync: null });
  });

  it('parses the QRESYNC examples of RFC 7162 §3.2.5', () => {
    // The example's mod-sequence is above 2^53: clamped, which keeps every comparison with the
    // server's own (smaller) mod-sequences the same.
    assert.deepEqual(commandOf('A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))'), {
      name: 'SELECT', mailbox: 'INBOX', condstore: true,
      qresync: {
        uidValidity: 67890007, modSeq: Number.MAX_SAFE_INTEGER,
        knownUids: [{ start: 41, end: 41 }, { start: 43, end: 211 }, { start: 214, end: 541 }], sequenceMatch: null,
      },
    });
    const command = commandOf('B142 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))');
    assert.ok(command.name === 'SELECT' && command.qresync !== null);
    assert.equal(command.qresync.sequenceMatch?.sequences.length, 4);
    assert.equal(command.qresync.sequenceMatch?.uids.length, 13);
    const minimal = commandOf('A1 EXAMINE INBOX (QRESYNC (1 2))');
    assert.ok(minimal.name === 'EXAMINE' && minimal.qresync?.knownUids === null && minimal.qresync.sequenceMatch === null);
  });

  it('refuses malformed parameters', () => {
    assert.equal(refusalOf('A1 SELECT INBOX (FOO)'), 'BAD Unknown or repeated SELECT parameter FOO');
    assert.equal(refusalOf('A1 SELECT INBOX ()'), 'BAD Empty SELECT parameter list');
    assert.equal(refusalOf('A1 SELECT INBOX (QRESYNC (0 5))'), 'BAD Invalid UIDVALIDITY: 0');
    assert.equal(refusalOf('A1 SELECT INBOX (QRESYNC (1 5 1:*))'), 'BAD "*" is not allowed in known UIDs (RFC 7162 §3.2.5)');
    assert.equal(refusalOf('A1 SELECT INBOX (QRESYNC (1 5 1:9 (1:3)))'), 'BAD Missing known UID set');
    assert.equal(refusalOf('A1 SELECT INBOX (CONDSTORE CONDSTORE)'), 'BAD Unknown or repeated SELECT parameter CONDSTORE');
    assert.equal(refusalOf('A1 SELECT'), 'BAD Missing mailbox name');
    assert.equal(refusalOf('A1 SELECT &Jjo'), 'BAD Invalid mailbox name: not valid modified UTF-7 (RFC 3501 §5.1.3)');
  });
});
