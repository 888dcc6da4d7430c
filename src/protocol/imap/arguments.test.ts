import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ArgumentCursor, BadCommand } from './arguments.js';
import { isAtom, normalizeSpecialUse, normalizeStoreFlag } from './flags.js';
import type { Token } from './tokens.js';
import { astringOut, nstringOut, stringOut, textOut } from './wire.js';

const atom = (value: string): Token => ({ type: 'atom', value });
const str = (value: string, literal = false): Token => ({ type: 'string', data: Buffer.from(value, 'utf8'), literal, binary: false });
const cursor = (...tokens: Token[]): ArgumentCursor => new ArgumentCursor(tokens, { utf8: false });

describe('ArgumentCursor', () => {
  it('reads astrings, nstrings and numbers', () => {
    const c = cursor(atom('fred'), str('p w'), atom('NIL'), str('NIL'), atom('4294967295'), atom('0'));
    assert.equal(c.astring('user'), 'fred');
    assert.equal(c.astring('password'), 'p w');
    assert.equal(c.nstring('value'), null);
    assert.equal(c.nstring('value'), 'NIL');
    assert.equal(c.number('n'), 4294967295);
    assert.throws(() => c.nzNumber('n'), /Invalid n: 0/);
    c.end();
  });

  it('explains what is missing or unexpected', () => {
    assert.throws(() => cursor().astring('mailbox name'), (e: unknown) => e instanceof BadCommand && e.message === 'Missing mailbox name');
    assert.throws(() => cursor(atom('a')).end(), /Unexpected atom a/);
    assert.throws(() => cursor(str('x')).atom('flag'), /Expected flag, got quoted string/);
    assert.throws(() => cursor(atom('4294967296')).number('n'), /Invalid n/);
    assert.throws(() => cursor({ type: 'string', data: Buffer.from([0xff]), literal: true, binary: false }).string('s'), /not valid UTF-8/);
  });

  it('reads mod-sequences up to 2^63-1, clamping what JavaScript cannot hold', () => {
    assert.equal(cursor(atom('12121230045')).modSequence('m'), 12121230045);
    assert.equal(cursor(atom('9223372036854775807')).modSequence('m'), Number.MAX_SAFE_INTEGER);
    assert.throws(() => cursor(atom('9223372036854775808')).modSequence('m'), /Invalid m/);
  });

  it('decodes mailbox names and refuses invalid modified UTF-7', () => {
    assert.equal(cursor(atom('inbox')).mailbox(), 'INBOX');
    assert.equal(cursor(str('Entw&APw-rfe')).mailbox(), 'Entw\u00fcrfe');
    assert.throws(() => cursor(atom('&Jjo')).mailbox(), /modified UTF-7/);
    assert.equal(new ArgumentCursor([str('Entw\u00fcrfe')], { utf8: true }).mailbox(), 'Entw\u00fcrfe');
  });
});

describe('flags', () => {
  it('normalizes system flags and keeps keywords', () => {
    assert.equal(normalizeStoreFlag('\\seen'), '\\Seen');
    assert.equal(normalizeStoreFlag('$Forwarded'), '$Forwarded');
    assert.equal(normalizeStoreFlag('\\Recent'), null);
    assert.equal(normalizeStoreFlag('\\Foo'), null);
    assert.equal(normalizeStoreFlag('a]b'), null);
    assert.equal(isAtom('a%'), false);
    assert.equal(normalizeSpecialUse('\\drafts'), '\\Drafts');
  });
});

describe('wire strings', () => {
  it('quotes, escapes and falls back to literals counted in UTF-8 octets', () => {
    assert.equal(stringOut('say "hi" \\o/'), '"say \\"hi\\" \\\\o/"');
    assert.equal(stringOut('a\r\nb'), '{4}\r\na\r\nb');
    assert.equal(stringOut('caf\u00e9'), '{5}\r\ncaf\u00e9');
    assert.equal(stringOut('caf\u00e9', true), '"caf\u00e9"');
    assert.equal(stringOut('x'.repeat(2000)).startsWith('{2000}\r\n'), true);
    assert.equal(stringOut('a\0b'), '{5}\r\na\ufffdb');
  });

  it('writes atoms where an astring may be one', () => {
    assert.equal(astringOut('INBOX'), 'INBOX');
    assert.equal(astringOut('~/Mail/saved'), '~/Mail/saved');
    assert.equal(astringOut('Sent Items'), '"Sent Items"');
    assert.equal(astringOut(''), '""');
    assert.equal(astringOut('nil'), '"nil"');
    assert.equal(astringOut('a%'), '"a%"');
    assert.equal(nstringOut(null), 'NIL');
    assert.equal(textOut('two\r\nlines'), 'two  lines');
  });
});
