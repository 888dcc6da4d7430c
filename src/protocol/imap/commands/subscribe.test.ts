import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('SUBSCRIBE and UNSUBSCRIBE (RFC 3501 §6.3.6–7)', () => {
  it('parses a mailbox', () => {
    assert.deepEqual(commandOf('A002 SUBSCRIBE #news.comp.mail.mime'), { name: 'SUBSCRIBE', mailbox: '#news.comp.mail.mime' });
    assert.deepEqual(commandOf('A002 UNSUBSCRIBE "Shared/info@contoso.com/INBOX"'), { name: 'UNSUBSCRIBE', mailbox: 'Shared/info@contoso.com/INBOX' });
  });

  it('needs one', () => {
    assert.equal(refusalOf('A1 SUBSCRIBE'), 'BAD Missing mailbox name');
  });
});
