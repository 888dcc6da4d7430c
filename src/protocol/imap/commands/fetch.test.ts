import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';
import type { FetchCommand } from './fetch.js';

function fetch(line: string): FetchCommand {
  const command = commandOf(line);
  assert.ok(command.name === 'FETCH');
  return command;
}

const section = (part: number[], specifier: string | null = null, fields: string[] = []) => ({ part, specifier, fields });

describe('FETCH (RFC 3501 §6.4.5)', () => {
  it('expands the macros (RFC 3501 §8: fetch 12 full)', () => {
    assert.deepEqual(fetch('a003 fetch 12 full'), {
      name: 'FETCH', uid: false, sequence: [{ start: 12, end: 12 }],
      items: [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }, { type: 'BODY' }],
      changedSince: null, vanished: false,
    });
    assert.deepEqual(fetch('a FETCH 1:* ALL').items.map((i) => i.type), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']);
    assert.deepEqual(fetch('a FETCH 1 FAST').items.map((i) => i.type), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
  });

  it('parses body sections with part numbers, specifiers and partial ranges', () => {
    assert.deepEqual(fetch('a004 fetch 12 body[header]').items, [{ type: 'BODY[]', peek: false, section: section([], 'HEADER'), partial: null }]);
    assert.deepEqual(fetch('A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])').items, [
      { type: 'FLAGS' }, { type: 'BODY[]', peek: false, section: section([], 'HEADER.FIELDS', ['DATE', 'FROM']), partial: null },
    ]);
    assert.deepEqual(fetch('a FETCH 1 (BODY.PEEK[1.2.MIME] BODY[TEXT]<0.100> BODY[] BODY[4.2.header.fields.not ("X-A" b)] RFC822 RFC822.HEADER RFC822.TEXT BODYSTRUCTURE UID)').items, [
      { type: 'BODY[]', peek: true, section: section([1, 2], 'MIME'), partial: null },
      { type: 'BODY[]', peek: false, section: section([], 'TEXT'), partial: { start: 0, length: 100 } },
      { type: 'BODY[]', peek: false, section: section([]), partial: null },
      { type: 'BODY[]', peek: false, section: section([4, 2], 'HEADER.FIELDS.NOT', ['X-A', 'b']), partial: null },
      { type: 'RFC822' }, { type: 'RFC822.HEADER' }, { type: 'RFC822.TEXT' }, { type: 'BODYSTRUCTURE' }, { type: 'UID' },
    ]);
  });

  it('parses BINARY, BINARY.PEEK and BINARY.SIZE (RFC 3516 §4.2)', () => {
    assert.deepEqual(fetch('a FETCH 1 (BINARY.PEEK[1.2]<0.1024> BINARY.SIZE[1] BINARY[])').items, [
      { type: 'BINARY[]', peek: true, part: [1, 2], partial: { start: 0, length: 1024 } },
      { type: 'BINARY.SIZE', part: [1] },
      { type: 'BINARY[]', peek: false, part: [], partial: null },
    ]);
  });

  it('adds UID to UID FETCH (RFC 3501 §6.4.8) and MODSEQ with CHANGEDSINCE (RFC 7162 §3.1.4.1)', () => {
    assert.deepEqual(fetch('A999 UID FETCH 4827313:4828442 FLAGS'), {
      name: 'FETCH', uid: true, sequence: [{ start: 4827313, end: 4828442 }], items: [{ type: 'UID' }, { type: 'FLAGS' }], changedSince: null, vanished: false,
    });
    assert.deepEqual(fetch('s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)'), {
      name: 'FETCH', uid: true, sequence: [{ start: 1, end: '*' }], items: [{ type: 'UID' }, { type: 'FLAGS' }, { type: 'MODSEQ' }], changedSince: 12345, vanished: false,
    });
    assert.deepEqual(fetch('s101 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)').vanished, true);
    assert.deepEqual(fetch('a UID FETCH 1 (FLAGS UID flags)').items, [{ type: 'FLAGS' }, { type: 'UID' }]);
  });

  it('refuses what RFC 3501, 3516 and 7162 do not allow', () => {
    assert.equal(refusalOf('a FETCH 1 (ALL)'), 'BAD Unknown FETCH item ALL');
    assert.equal(refusalOf('a FETCH 1 ()'), 'BAD Empty FETCH item list');
    assert.equal(refusalOf('a FETCH 1 BODY[MIME]'), 'BAD MIME needs a part number');
    assert.equal(refusalOf('a FETCH 1 BODY[0]'), 'BAD Invalid section part number 0');
    assert.equal(refusalOf('a FETCH 1 BODY[HEADER.FIELDS]'), 'BAD HEADER.FIELDS needs a parenthesized list of header names');
    assert.equal(refusalOf('a FETCH 1 BODY[HEADER.FIELDS ()]'), 'BAD HEADER.FIELDS needs at least one header name');
    assert.equal(refusalOf('a FETCH 1 BODY[TEXT (X)]'), 'BAD Unexpected header list in section');
    assert.equal(refusalOf('a FETCH 1 BODY[FOO]'), 'BAD Invalid section specifier FOO');
    assert.equal(refusalOf('a FETCH 1 BODY[]<5>'), 'BAD A partial range is <offset.length> with a non-zero length');
    assert.equal(refusalOf('a FETCH 1 BINARY[1.HEADER]'), 'BAD Invalid section part number HEADER');
    assert.equal(refusalOf('a FETCH 1 BINARY.SIZE[1]<0.5>'), 'BAD BINARY.SIZE takes no partial range');
    assert.equal(refusalOf('a FETCH 1 (FLAGS) (VANISHED)'), 'BAD VANISHED is only allowed in UID FETCH');
    assert.equal(refusalOf('a UID FETCH 1 (FLAGS) (VANISHED)'), 'BAD VANISHED requires CHANGEDSINCE');
    assert.equal(refusalOf('a FETCH 1 (FLAGS) (CHANGEDSINCE x)'), 'BAD Invalid CHANGEDSINCE mod-sequence: x');
    assert.equal(refusalOf('a FETCH 1 (FLAGS) (FOO)'), 'BAD Unknown or repeated FETCH modifier FOO');
    assert.equal(refusalOf('a FETCH 0 FLAGS'), 'BAD Invalid sequence set: 0');
    assert.equal(refusalOf('a FETCH 1 "FLAGS"'), 'BAD Invalid FETCH item');
  });
});
