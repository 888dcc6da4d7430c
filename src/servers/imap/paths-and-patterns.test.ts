import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasChildren, namePattern } from './folder-listing.js';
import { parseImapName, sharedName } from './mailbox-paths.js';
import { opensReadOnly, rightsForLevel, withObsoleteRights } from './rights.js';

describe('IMAP names', () => {
  it('splits the shared namespace into mailbox and folder', () => {
    assert.deepEqual(parseImapName('Shared/Info@Contoso.com/Sent Items'), { kind: 'shared', address: 'info@contoso.com', folder: 'Sent Items' });
    assert.deepEqual(parseImapName('Shared/info@contoso.com/inbox'), { kind: 'shared', address: 'info@contoso.com', folder: 'INBOX' });
    assert.deepEqual(parseImapName('Shared/info@contoso.com'), { kind: 'shared-mailbox', address: 'info@contoso.com' });
    assert.deepEqual(parseImapName('Shared'), { kind: 'shared-root' });
    assert.deepEqual(parseImapName('inbox'), { kind: 'personal', folder: 'INBOX' });
    assert.deepEqual(parseImapName('Projects/2026'), { kind: 'personal', folder: 'Projects/2026' });
    assert.equal(sharedName('info@contoso.com', 'INBOX'), 'Shared/info@contoso.com/INBOX');
  });

  it('matches LIST patterns as RFC 3501 §6.3.8 says', () => {
    const star = namePattern('', '*');
    const percent = namePattern('', '%');
    assert.ok(star('Shared/info@contoso.com/INBOX'));
    assert.ok(percent('Drafts'));
    assert.ok(!percent('Shared/info@contoso.com'));
    assert.ok(namePattern('Shared/', '%')('Shared/info@contoso.com'));
    assert.ok(!namePattern('Shared/', '%')('Shared/info@contoso.com/INBOX'));
    assert.ok(namePattern('', 'inbox')('INBOX'), 'INBOX matches in any case');
    assert.ok(!namePattern('', 'drafts')('Drafts'), 'other names are case-sensitive');
    assert.ok(namePattern('', 'Sent Items')('Sent Items'));
    assert.ok(!namePattern('', 'a.c')('abc'), 'regular-expression characters are literal');
  });

  it('knows which names have children', () => {
    assert.ok(hasChildren('Shared', ['Shared/info@contoso.com']));
    assert.ok(!hasChildren('Shared/info@contoso.com/INBOX', ['Shared/info@contoso.com/INBOX']));
  });
});

describe('IMAP rights', () => {
  it('gives FullAccess every RFC 4314 right and restricted grants fewer', () => {
    assert.equal(rightsForLevel('full'), 'lrswipkxtea');
    assert.ok(!rightsForLevel('no-delete').includes('t'));
    assert.ok(!rightsForLevel('no-delete').includes('e'));
    assert.equal(rightsForLevel('read-only'), 'lr');
    assert.ok(opensReadOnly('lr'));
    assert.ok(!opensReadOnly('lrswipk'));
  });

  it('adds the obsolete c and d rights for RFC 2086 clients', () => {
    assert.equal(withObsoleteRights('lrswipkxtea'), 'lrswipkxteacd');
    assert.equal(withObsoleteRights('lr'), 'lr');
  });
});
