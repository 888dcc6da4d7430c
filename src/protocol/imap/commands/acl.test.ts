import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('ACL commands (RFC 4314 §3)', () => {
  it('parses the RFC 4314 examples', () => {
    assert.deepEqual(commandOf('A001 GETACL INBOX'), { name: 'GETACL', mailbox: 'INBOX' });
    assert.deepEqual(commandOf('A002 SETACL INBOX/Drafts John lrswicda'), {
      name: 'SETACL', mailbox: 'INBOX/Drafts', identifier: 'John', mode: 'replace', rights: 'lrswicda',
    });
    assert.deepEqual(commandOf('A003 SETACL INBOX/Drafts Chris +cda'), { name: 'SETACL', mailbox: 'INBOX/Drafts', identifier: 'Chris', mode: 'add', rights: 'cda' });
    assert.deepEqual(commandOf('A004 SETACL INBOX -Fred -w'), { name: 'SETACL', mailbox: 'INBOX', identifier: '-Fred', mode: 'remove', rights: 'w' });
    assert.deepEqual(commandOf('A005 SETACL INBOX Fred ""'), { name: 'SETACL', mailbox: 'INBOX', identifier: 'Fred', mode: 'replace', rights: '' });
    assert.deepEqual(commandOf('A006 DELETEACL ~/Mail/saved smith'), { name: 'DELETEACL', mailbox: '~/Mail/saved', identifier: 'smith' });
    assert.deepEqual(commandOf('a001 LISTRIGHTS ~/Mail/saved smith'), { name: 'LISTRIGHTS', mailbox: '~/Mail/saved', identifier: 'smith' });
    assert.deepEqual(commandOf('A003 MYRIGHTS INBOX'), { name: 'MYRIGHTS', mailbox: 'INBOX' });
  });

  it('refuses unknown and upper-case rights as RFC 4314 §3.1 shows', () => {
    assert.equal(refusalOf('A035 SETACL INBOX/Drafts John lrQswicda'), 'BAD Uppercase rights are not allowed');
    assert.equal(refusalOf('A036 SETACL INBOX/Drafts John lrqswicda'), 'BAD The q right is not supported');
    assert.equal(refusalOf('A1 SETACL INBOX Fred'), 'BAD Missing rights');
    assert.equal(refusalOf('A1 DELETEACL INBOX'), 'BAD Missing identifier');
    assert.equal(refusalOf('A1 MYRIGHTS INBOX Fred'), 'BAD Unexpected atom Fred after the arguments');
  });
});
