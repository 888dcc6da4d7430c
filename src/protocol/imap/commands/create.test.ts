import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('CREATE (RFC 3501 §6.3.3, RFC 6154 §3)', () => {
  it('decodes the name', () => {
    assert.deepEqual(commandOf('A003 CREATE owatagusiam/'), { name: 'CREATE', mailbox: 'owatagusiam/', specialUse: [] });
    assert.deepEqual(commandOf('A1 CREATE "Entw&APw-rfe"'), { name: 'CREATE', mailbox: 'Entw\u00fcrfe', specialUse: [] });
    assert.deepEqual(commandOf('A1 CREATE "Entw\u00fcrfe"', true), { name: 'CREATE', mailbox: 'Entw\u00fcrfe', specialUse: [] });
  });

  it('takes special-use attributes (RFC 6154 §5.2 example)', () => {
    assert.deepEqual(commandOf('t1 CREATE "Important Messages" (USE (\\Important))'), {
      name: 'CREATE', mailbox: 'Important Messages', specialUse: ['\\Important'],
    });
    assert.deepEqual(commandOf('t1 CREATE x (USE (\\drafts \\Custom))'), { name: 'CREATE', mailbox: 'x', specialUse: ['\\Drafts', '\\Custom'] });
  });

  it('refuses bad names and parameters', () => {
    assert.equal(refusalOf('A1 CREATE "Entw\u00fcrfe"'), 'BAD Invalid mailbox name: not valid modified UTF-7 (RFC 3501 §5.1.3)');
    assert.equal(refusalOf('A1 CREATE x (FOO)'), 'BAD Unknown or repeated CREATE parameter FOO');
    assert.equal(refusalOf('A1 CREATE x (USE (Drafts))'), 'BAD Invalid special-use attribute Drafts');
  });
});
