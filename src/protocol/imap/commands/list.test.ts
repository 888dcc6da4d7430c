import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

const noSelection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
const noReturn = { subscribed: false, children: false, specialUse: false, status: null };

describe('LIST (RFC 3501 §6.3.8, RFC 5258, RFC 5819, RFC 6154)', () => {
  it('parses the basic form', () => {
    assert.deepEqual(commandOf('A101 LIST "" ""'), { name: 'LIST', reference: '', patterns: [''], selection: noSelection, returnOptions: noReturn, extended: false });
    assert.deepEqual(commandOf('A202 LIST ~/Mail/ %'), { name: 'LIST', reference: '~/Mail/', patterns: ['%'], selection: noSelection, returnOptions: noReturn, extended: false });
    assert.deepEqual(commandOf('A1 LIST "" Shared/*'), { name: 'LIST', reference: '', patterns: ['Shared/*'], selection: noSelection, returnOptions: noReturn, extended: false });
  });

  it('parses selection options, several patterns and return options (RFC 5258 §5 examples)', () => {
    assert.deepEqual(commandOf('A02 LIST (SUBSCRIBED) "" "*"'), {
      name: 'LIST', reference: '', patterns: ['*'], selection: { ...noSelection, subscribed: true }, returnOptions: noReturn, extended: true,
    });
    assert.deepEqual(commandOf('A03 LIST () "" "%" RETURN (CHILDREN)'), {
      name: 'LIST', reference: '', patterns: ['%'], selection: noSelection, returnOptions: { ...noReturn, children: true }, extended: true,
    });
    assert.deepEqual(commandOf('A05 LIST (subscribed RECURSIVEMATCH) "" "%" RETURN (CHILDREN)'), {
      name: 'LIST', reference: '', patterns: ['%'], selection: { ...noSelection, subscribed: true, recursiveMatch: true },
      returnOptions: { ...noReturn, children: true }, extended: true,
    });
    assert.deepEqual(commandOf('BBB LIST "" ("INBOX" "Drafts" "Sent/%")'), {
      name: 'LIST', reference: '', patterns: ['INBOX', 'Drafts', 'Sent/%'], selection: noSelection, returnOptions: noReturn, extended: true,
    });
  });

  it('parses SPECIAL-USE and LIST-STATUS (RFC 6154 §5.1, RFC 5819 §3)', () => {
    assert.deepEqual(commandOf('t3 LIST (SPECIAL-USE) "" "*"'), {
      name: 'LIST', reference: '', patterns: ['*'], selection: { ...noSelection, specialUse: true }, returnOptions: noReturn, extended: true,
    });
    assert.deepEqual(commandOf('A01 LIST "" % RETURN (STATUS (MESSAGES UNSEEN) SUBSCRIBED SPECIAL-USE)'), {
      name: 'LIST', reference: '', patterns: ['%'], selection: noSelection,
      returnOptions: { subscribed: true, children: false, specialUse: true, status: ['MESSAGES', 'UNSEEN'] }, extended: true,
    });
  });

  it('refuses what RFC 5258 refuses', () => {
    assert.equal(refusalOf('A1 LIST (RECURSIVEMATCH) "" %'), 'BAD RECURSIVEMATCH must be combined with another selection option');
    assert.equal(refusalOf('A1 LIST (FOO) "" %'), 'BAD Unknown LIST selection option FOO');
    assert.equal(refusalOf('A1 LIST "" % RETURN (FOO)'), 'BAD Unknown or repeated LIST return option FOO');
    assert.equal(refusalOf('A1 LIST "" % EXTRA (X)'), 'BAD Expected RETURN after the LIST pattern');
    assert.equal(refusalOf('A1 LIST "" ()'), 'BAD Empty LIST pattern list');
    assert.equal(refusalOf('A1 LIST ""'), 'BAD Missing mailbox pattern');
  });
});

describe('LSUB (RFC 3501 §6.3.9)', () => {
  it('parses reference and pattern', () => {
    assert.deepEqual(commandOf('A002 LSUB "#news." "comp.mail.*"'), { name: 'LSUB', reference: '#news.', pattern: 'comp.mail.*' });
  });

  it('refuses a missing pattern', () => {
    assert.equal(refusalOf('A1 LSUB ""'), 'BAD Missing mailbox pattern');
  });
});
