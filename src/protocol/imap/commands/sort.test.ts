import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('SORT (RFC 5256 §3)', () => {
  it('parses the RFC 5256 examples', () => {
    assert.deepEqual(commandOf('A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994'), {
      name: 'SORT', uid: false, criteria: [{ key: 'SUBJECT', reverse: false }], charset: 'UTF-8',
      search: { key: 'internaldate', op: 'since', date: '1994-02-01' },
    });
    assert.deepEqual(commandOf('A285 UID SORT (REVERSE DATE displayfrom) US-ASCII UNDELETED SUBJECT "afternoon meeting"'), {
      name: 'SORT', uid: true, criteria: [{ key: 'DATE', reverse: true }, { key: 'DISPLAYFROM', reverse: false }], charset: 'US-ASCII',
      search: { key: 'and', keys: [{ key: 'flag', flag: '\\Deleted', present: false }, { key: 'header', field: 'subject', value: 'afternoon meeting' }] },
    });
  });

  it('refuses missing parts', () => {
    assert.equal(refusalOf('A SORT () UTF-8 ALL'), 'BAD Empty sort criteria');
    assert.equal(refusalOf('A SORT (COLOR) UTF-8 ALL'), 'BAD Unknown sort key COLOR');
    assert.equal(refusalOf('A SORT (DATE) ALL'), 'NO [BADCHARSET] Unsupported charset ALL');
    assert.equal(refusalOf('A SORT (DATE) UTF-8'), 'BAD Missing search key');
    assert.equal(refusalOf('A SORT (REVERSE) UTF-8 ALL'), 'BAD Missing sort key');
  });
});
