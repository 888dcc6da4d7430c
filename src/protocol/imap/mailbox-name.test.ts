import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeMailboxName, decodeModifiedUtf7, encodeMailboxName, encodeModifiedUtf7, isValidMailboxName, normalizeInbox,
} from './mailbox-name.js';

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it('encodes and decodes the RFC example', () => {
    // "~peter/mail/台北/日本語"
    const name = '~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e';
    assert.equal(encodeModifiedUtf7(name), '~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    assert.equal(decodeModifiedUtf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-'), name);
  });

  it('escapes & and round-trips accents, emoji and mixed text', () => {
    assert.equal(encodeModifiedUtf7('Tom & Jerry'), 'Tom &- Jerry');
    assert.equal(decodeModifiedUtf7('Tom &- Jerry'), 'Tom & Jerry');
    assert.equal(encodeModifiedUtf7('Entw\u00fcrfe'), 'Entw&APw-rfe');
    for (const name of ['Gel\u00f6schte Elemente', '\ud83d\udce7 Mail', '\u00e9t\u00e9/\u00e0 faire', 'a&b&-c', '']) {
      assert.equal(decodeModifiedUtf7(encodeModifiedUtf7(name)), name, name);
    }
  });

  it('refuses invalid modified UTF-7', () => {
    for (const bad of ['&', '&U,BTFw', '&Jjo!-', '&AGE-', '&AC-', '&2D3-', '&ZeVnLIqe', 'caf\u00e9', 'a\tb', '&U,BTF-', '&U,BTFx-']) {
      assert.equal(decodeModifiedUtf7(bad), null, bad);
    }
  });
});

describe('mailbox names on the wire', () => {
  it('normalizes INBOX in any case, and only INBOX itself', () => {
    assert.equal(normalizeInbox('inbox'), 'INBOX');
    assert.equal(normalizeInbox('InBoX'), 'INBOX');
    assert.equal(normalizeInbox('inbox/sub'), 'inbox/sub');
    assert.equal(decodeMailboxName('Inbox', false), 'INBOX');
  });

  it('takes UTF-8 as is once UTF8=ACCEPT is enabled (RFC 6855 §3)', () => {
    assert.equal(decodeMailboxName('Entw\u00fcrfe', true), 'Entw\u00fcrfe');
    assert.equal(decodeMailboxName('a&b', true), 'a&b');
    assert.equal(decodeMailboxName('Entw\u00fcrfe', false), null);
    assert.equal(encodeMailboxName('Entw\u00fcrfe', true), 'Entw\u00fcrfe');
    assert.equal(encodeMailboxName('Entw\u00fcrfe', false), 'Entw&APw-rfe');
  });

  it('refuses control characters and separators in both modes', () => {
    assert.equal(isValidMailboxName('a\u0085b'), false);
    assert.equal(isValidMailboxName('a\u2028b'), false);
    assert.equal(isValidMailboxName('a\ud800b'), false);
    assert.equal(isValidMailboxName('Shared/info@contoso.com/INBOX'), true);
    assert.equal(decodeMailboxName('&AAA-', false), null);
    assert.equal(decodeMailboxName('a\u0001', true), null);
  });
});
