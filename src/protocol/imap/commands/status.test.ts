import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('STATUS (RFC 3501 §6.3.10, RFC 7162, RFC 7889, RFC 9051)', () => {
  it('parses the items', () => {
    assert.deepEqual(commandOf('A042 STATUS blurdybloop (UIDNEXT MESSAGES)'), { name: 'STATUS', mailbox: 'blurdybloop', items: ['UIDNEXT', 'MESSAGES'] });
    assert.deepEqual(commandOf('A1 STATUS INBOX (highestmodseq SIZE APPENDLIMIT DELETED UNSEEN unseen)'), {
      name: 'STATUS', mailbox: 'INBOX', items: ['HIGHESTMODSEQ', 'SIZE', 'APPENDLIMIT', 'DELETED', 'UNSEEN'],
    });
  });

  it('refuses unknown or missing items', () => {
    assert.equal(refusalOf('A1 STATUS INBOX (FOO)'), 'BAD Unknown STATUS item FOO');
    assert.equal(refusalOf('A1 STATUS INBOX ()'), 'BAD Empty STATUS item list');
    assert.equal(refusalOf('A1 STATUS INBOX MESSAGES'), 'BAD Expected STATUS items in parentheses, got atom MESSAGES');
  });
});
