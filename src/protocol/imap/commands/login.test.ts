import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('LOGIN (RFC 3501 §6.2.3)', () => {
  it('takes atoms, quoted strings and literals', () => {
    assert.deepEqual(commandOf('a001 login mrc secret'), { name: 'LOGIN', username: 'mrc', password: 'secret' });
    assert.deepEqual(commandOf('A1 LOGIN "alice@contoso.com\\\\info@contoso.com" "p\\"w"'), {
      name: 'LOGIN', username: 'alice@contoso.com\\info@contoso.com', password: 'p"w',
    });
    assert.deepEqual(commandOf('A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man'), { name: 'LOGIN', username: 'FRED FOOBAR', password: 'fat man' });
    assert.deepEqual(commandOf(Buffer.from('A1 LOGIN "j\u00f6rg" {4}\r\np\u00e4s', 'utf8')), { name: 'LOGIN', username: 'j\u00f6rg', password: 'p\u00e4s' });
  });

  it('refuses missing or extra arguments and lists', () => {
    assert.equal(refusalOf('A1 LOGIN fred'), 'BAD Missing password');
    assert.equal(refusalOf('A1 LOGIN fred pw x'), 'BAD Unexpected atom x after the arguments');
    assert.equal(refusalOf('A1 LOGIN (fred) pw'), 'BAD Expected user name, got parenthesized list');
  });
});
