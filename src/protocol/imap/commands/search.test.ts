import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';
import type { SearchKey } from './search-keys.js';

function criteria(line: string): SearchKey {
  const command = commandOf(line);
  assert.ok(command.name === 'SEARCH');
  return command.criteria;
}

const unseen: SearchKey = { key: 'flag', flag: '\\Seen', present: false };

describe('SEARCH keys (RFC 3501 §6.4.4)', () => {
  it('parses the RFC 3501 examples', () => {
    assert.deepEqual(criteria('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"'), {
      key: 'and', keys: [
        { key: 'flag', flag: '\\Flagged', present: true },
        { key: 'internaldate', op: 'since', date: '1994-02-01' },
        { key: 'not', inner: { key: 'header', field: 'from', value: 'Smith' } },
      ],
    });
    assert.deepEqual(criteria('A283 SEARCH TEXT "string not in mailbox"'), { key: 'text', value: 'string not in mailbox' });
    const charset = commandOf('A284 SEARCH CHARSET UTF-8 TEXT {6}\r\nXXXXXX');
    assert.ok(charset.name === 'SEARCH' && charset.charset === 'UTF-8' && charset.returnOptions === null && !charset.uid);
    assert.deepEqual(charset.criteria, { key: 'text', value: 'XXXXXX' });
  });

  it('parses every key', () => {
    const line = 'A SEARCH ALL ANSWERED BCC b BEFORE "1-Jan-2000" BODY x CC c DELETED DRAFT FLAGGED FROM f HEADER X-Foo "" '
      + 'KEYWORD $Junk LARGER 10 NEW NOT SEEN OLD ON 2-Feb-2000 OR SEEN UNSEEN RECENT SEEN SENTBEFORE 3-Mar-2000 '
      + 'SENTON 4-Apr-2000 SENTSINCE 5-May-2000 SINCE 6-Jun-2000 SMALLER 20 SUBJECT s TEXT t TO o UID 1:5 UNANSWERED '
      + 'UNDELETED UNDRAFT UNFLAGGED UNKEYWORD \\Seen UNSEEN 2,4:* (ALL) OLDER 60 YOUNGER 30 MODSEQ 5';
    const all = criteria(line);
    assert.ok(all.key === 'and');
    assert.equal(all.keys.length, 40);
    assert.deepEqual(all.keys.slice(0, 3), [{ key: 'all' }, { key: 'flag', flag: '\\Answered', present: true }, { key: 'header', field: 'bcc', value: 'b' }]);
    assert.deepEqual(all.keys.find((k) => k.key === 'header' && k.field === 'x-foo'), { key: 'header', field: 'x-foo', value: '' });
    assert.deepEqual(all.keys[13], { key: 'and', keys: [{ key: 'recent' }, unseen] });
    assert.deepEqual(all.keys[15], { key: 'not', inner: { key: 'recent' } });
    assert.deepEqual(all.keys[17], { key: 'or', left: { key: 'flag', flag: '\\Seen', present: true }, right: unseen });
    assert.deepEqual(all.keys.slice(-5), [
      { key: 'sequence', set: [{ start: 2, end: 2 }, { start: 4, end: '*' }] }, { key: 'all' },
      { key: 'age', op: 'older', seconds: 60 }, { key: 'age', op: 'younger', seconds: 30 }, { key: 'modseq', modSeq: 5, entry: null },
    ]);
  });

  it('parses MODSEQ with an entry name (RFC 7162 §3.1.5 examples)', () => {
    assert.deepEqual(criteria('a SEARCH MODSEQ "/flags/\\\\draft" all 620162338'), {
      key: 'modseq', modSeq: 620162338, entry: { name: '/flags/\\Draft', type: 'all' },
    });
    assert.deepEqual(criteria('a SEARCH OR NOT MODSEQ 720162338 LARGER 50000'), {
      key: 'or', left: { key: 'not', inner: { key: 'modseq', modSeq: 720162338, entry: null } }, right: { key: 'size', op: 'larger', size: 50000 },
    });
  });

  it('refuses malformed keys', () => {
    assert.equal(refusalOf('A SEARCH'), 'BAD Missing search key');
    assert.equal(refusalOf('A SEARCH FOO'), 'BAD Unknown search key FOO');
    assert.equal(refusalOf('A SEARCH SINCE 30-Feb-2020'), 'BAD Invalid SINCE date "30-Feb-2020": expected d-Mon-yyyy');
    assert.equal(refusalOf('A SEARCH OR SEEN'), 'BAD Missing search key');
    assert.equal(refusalOf('A SEARCH LARGER -1'), 'BAD Invalid LARGER size: -1');
    assert.equal(refusalOf('A SEARCH KEYWORD \\Recent'), 'BAD Invalid keyword \\Recent');
    assert.equal(refusalOf('A SEARCH ()'), 'BAD Missing search key');
    assert.equal(refusalOf('A SEARCH OLDER 0'), 'BAD Invalid OLDER interval: 0');
    assert.equal(refusalOf('A SEARCH MODSEQ "/flags/" all 1'), 'BAD Invalid MODSEQ entry name /flags/');
    assert.equal(refusalOf(`A SEARCH ${'NOT '.repeat(100)}ALL`), 'BAD [LIMIT] Search program too deeply nested');
  });
});

describe('SEARCH command (RFC 3501 §6.4.4, RFC 4731)', () => {
  it('parses UID SEARCH and ESEARCH return options (RFC 4731 §3.1 examples)', () => {
    assert.deepEqual(commandOf('A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"').name, 'SEARCH');
    const min = commandOf('A283 UID SEARCH RETURN (MIN MAX count) UNSEEN');
    assert.ok(min.name === 'SEARCH' && min.uid);
    assert.deepEqual(min.returnOptions, ['MIN', 'MAX', 'COUNT']);
    const empty = commandOf('A284 SEARCH RETURN () UNDELETED');
    assert.ok(empty.name === 'SEARCH');
    assert.deepEqual(empty.returnOptions, ['ALL']);
  });

  it('answers unsupported charsets NO [BADCHARSET] and bad options BAD', () => {
    assert.equal(refusalOf('A SEARCH CHARSET KOI8-R TEXT x'), 'NO [BADCHARSET] Unsupported charset KOI8-R');
    assert.equal(refusalOf('A SEARCH RETURN (SAVE) ALL'), 'BAD Unknown SEARCH RETURN option SAVE');
    assert.equal(refusalOf('A SEARCH CHARSET'), 'BAD Missing charset');
  });
});
