import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { parseMessageDate } from './date.js';
import {
  decodeEncodedWords, getHeader, getHeaders, getParam, parseAddressList, parseContentDisposition, parseContentType, parseHeaderBlock, parseParameterizedValue,
} from './headers.js';

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

describe('parseHeaderBlock', () => {
  it('splits at CRLF CRLF, unfolds, and keeps order and the names as written', () => {
    const raw = Buffer.from(crlf('Subject: Hello\n  folded\tworld\nX-A: 1\nx-a: 2\n\nbody\n'));
    const { fields, bodyStart } = parseHeaderBlock(raw);
    assert.deepEqual(fields, [['Subject', 'Hello  folded\tworld'], ['X-A', '1'], ['x-a', '2']]);
    assert.equal(raw.subarray(bodyStart).toString(), 'body\r\n');
    assert.equal(getHeader(fields, 'SUBJECT'), 'Hello  folded\tworld');
    assert.deepEqual(getHeaders(fields, 'x-a'), ['1', '2']);
    assert.equal(getHeader(fields, 'missing'), null);
  });

  it('tolerates bare LF and mixed line endings', () => {
    const raw = Buffer.from('A: 1\nB: 2\r\n folded\nC: 3\n\nbody');
    const { fields, bodyStart } = parseHeaderBlock(raw);
    assert.deepEqual(fields, [['A', '1'], ['B', '2 folded'], ['C', '3']]);
    assert.equal(raw.subarray(bodyStart).toString(), 'body');
  });

  it('treats a block without an empty line as all header', () => {
    const raw = Buffer.from('A: 1\r\nB: 2');
    assert.deepEqual(parseHeaderBlock(raw), { fields: [['A', '1'], ['B', '2']], bodyStart: raw.length });
  });

  it('finds no header when the first line is not a header field, or is empty', () => {
    assert.deepEqual(parseHeaderBlock(Buffer.from('Hello there\r\nA: 1\r\n')), { fields: [], bodyStart: 0 });
    assert.deepEqual(parseHeaderBlock(Buffer.from(' indented: x\r\n')), { fields: [], bodyStart: 0 });
    assert.deepEqual(parseHeaderBlock(Buffer.from('\r\nA: 1\r\n')), { fields: [], bodyStart: 2 });
    assert.deepEqual(parseHeaderBlock(Buffer.alloc(0)), { fields: [], bodyStart: 0 });
  });

  it('accepts obsolete space before the colon and skips stray lines', () => {
    const raw = Buffer.from('Subject : x\r\ngarbage line\r\n continuation of garbage\r\nTo: a@b\r\n\r\n');
    assert.deepEqual(parseHeaderBlock(raw).fields, [['Subject', 'x'], ['To', 'a@b']]);
  });

  it('reads 8-bit header bytes as UTF-8 when valid, else as Latin-1', () => {
    const raw = Buffer.concat([Buffer.from('A: Caf\u00e9\r\nB: Caf'), Buffer.from([0xe9]), Buffer.from('\r\n\r\n')]);
    assert.deepEqual(parseHeaderBlock(raw).fields, [['A', 'Caf\u00e9'], ['B', 'Caf\u00e9']]);
  });

  it('stays within [start, end) and honours the field filter and cap', () => {
    const raw = Buffer.from('junk--A: 1\r\nB: 2\r\n\r\nbody');
    const block = parseHeaderBlock(raw, 6, 13);
    assert.deepEqual(block, { fields: [['A', '1']], bodyStart: 13 });
    assert.deepEqual(parseHeaderBlock(raw, 6, raw.length, { only: new Set(['b']) }).fields, [['B', '2']]);
    assert.deepEqual(parseHeaderBlock(raw, 6, raw.length, { maxFields: 1 }).fields, [['A', '1']]);
  });
});

describe('parseParameterizedValue', () => {
  it('reads type, quoted and token parameters, comments and odd spacing (RFC 2045 §5.1)', () => {
    const parsed = parseParameterizedValue('Text/Plain (a comment) ; charset = "utf-8" ; format=flowed;; delsp=yes (x)');
    assert.equal(parsed.value, 'Text/Plain');
    assert.deepEqual(parsed.params, [['charset', 'utf-8'], ['format', 'flowed'], ['delsp', 'yes']]);
  });

  it('unescapes quoted-pairs and tolerates an unterminated quote', () => {
    assert.deepEqual(parseParameterizedValue('a/b; foo="quoted\\"string"').params, [['foo', 'quoted"string']]);
    assert.deepEqual(parseParameterizedValue('a/b; name="open').params, [['name', 'open']]);
  });

  it('merges RFC 2231 continuations; an extended value stays encoded under name*', () => {
    const plain = parseParameterizedValue('message/external-body; URL*0="ftp://"; URL*1="cs.utk.edu/pub"');
    assert.deepEqual(plain.params, [['url', 'ftp://cs.utk.edu/pub']]);
    const ext = parseParameterizedValue("attachment; filename*0*=utf-8''%C3%A9t; filename*1=\"\u00e9 1.txt\"");
    assert.deepEqual(ext.params, [['filename*', "utf-8''%C3%A9t%C3%A9%201.txt"]]);
    assert.equal(getParam(ext.params, 'filename'), '\u00e9t\u00e9 1.txt');
  });

  it('decodes parameter values: RFC 2231 charsets and RFC 2047 words in plain values', () => {
    const params = parseParameterizedValue("a/b; title*=iso-8859-1'en'%A3%20rates; name=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"").params;
    assert.equal(getParam(params, 'title'), '\u00a3 rates');
    assert.equal(getParam(params, 'NAME'), 'r\u00e9sum\u00e9.pdf');
    assert.equal(getParam(params, 'missing'), null);
  });

  it('never throws on garbage', () => {
    for (const s of ['', ';;;', '=', 'a/b; =x', 'a/b; x', '"', '(((', 'a/b; x*=%%%', 'a/b; x*9999999999=1']) {
      assert.doesNotThrow(() => getParam(parseParameterizedValue(s).params, 'x'));
    }
  });
});

describe('parseContentType and parseContentDisposition', () => {
  it('lower-cases type and subtype and falls back to the defaults (RFC 2045 §5.2)', () => {
    assert.deepEqual(parseContentType('Text/HTML; Charset="UTF-8"'), { type: 'text', subtype: 'html', params: [['charset', 'UTF-8']] });
    assert.deepEqual(parseContentType(null, 'message/rfc822'), { type: 'message', subtype: 'rfc822', params: [] });
    assert.deepEqual(parseContentType('garbage; charset=x'), { type: 'text', subtype: 'plain', params: [] });
    assert.deepEqual(parseContentType('text/'), { type: 'text', subtype: 'plain', params: [] });
  });

  it('reads a disposition or gives null', () => {
    assert.deepEqual(parseContentDisposition('Attachment; filename=a.txt'), { type: 'attachment', params: [['filename', 'a.txt']] });
    assert.equal(parseContentDisposition('; filename=a.txt'), null);
    assert.equal(parseContentDisposition(null), null);
  });
});

describe('decodeEncodedWords', () => {
  it('decodes RFC 2047 words and joins adjacent ones', () => {
    assert.equal(decodeEncodedWords('=?UTF-8?B?SGVsbG8gd8O2cmxk?='), 'Hello w\u00f6rld');
    assert.equal(decodeEncodedWords('=?iso-8859-1?q?caf=E9?= =?iso-8859-1?q?_bar?= !'), 'caf\u00e9 bar !');
    assert.equal(decodeEncodedWords('plain text'), 'plain text');
  });
});

describe('parseAddressList', () => {
  it('reads display names, quoted strings and comments (RFC 5322 §3.4)', () => {
    assert.deepEqual(parseAddressList('"Doe, John" <john@example.com>, jane@example.org (Jane Roe), Bob  Smith <bob@[192.0.2.1]>'), [
      { name: 'Doe, John', adl: null, mailbox: 'john', host: 'example.com' },
      { name: 'Jane Roe', adl: null, mailbox: 'jane', host: 'example.org' },
      { name: 'Bob Smith', adl: null, mailbox: 'bob', host: '[192.0.2.1]' },
    ]);
  });

  it('keeps encoded words raw and a quoted local part quoted', () => {
    assert.deepEqual(parseAddressList('=?utf-8?q?J=C3=B6rg?= <"j doe"@example.de>'), [
      { name: '=?utf-8?q?J=C3=B6rg?=', adl: null, mailbox: '"j doe"', host: 'example.de' },
    ]);
  });

  it('reads groups as start and end markers (RFC 3501 §7.4.2)', () => {
    const end = { name: null, adl: null, mailbox: null, host: null };
    assert.deepEqual(parseAddressList('undisclosed-recipients:;'), [{ name: null, adl: null, mailbox: 'undisclosed-recipients', host: null }, end]);
    assert.deepEqual(parseAddressList('Team: a@x, "B" <b@y>;, c@z'), [
      { name: null, adl: null, mailbox: 'Team', host: null },
      { name: null, adl: null, mailbox: 'a', host: 'x' },
      { name: 'B', adl: null, mailbox: 'b', host: 'y' },
      end,
      { name: null, adl: null, mailbox: 'c', host: 'z' },
    ]);
    assert.deepEqual(parseAddressList('Open Group: a@x'), [
      { name: null, adl: null, mailbox: 'Open Group', host: null },
      { name: null, adl: null, mailbox: 'a', host: 'x' },
      end,
    ]);
  });

  it('puts an obsolete route in adl', () => {
    assert.deepEqual(parseAddressList('<@relay.example,@b.example:user@host.example>'), [
      { name: null, adl: '@relay.example,@b.example', mailbox: 'user', host: 'host.example' },
    ]);
  });

  it('tolerates garbage without ever producing a group marker by accident', () => {
    assert.deepEqual(parseAddressList(''), []);
    assert.deepEqual(parseAddressList(' , ,'), []);
    assert.deepEqual(parseAddressList('undisclosed recipients'), [{ name: null, adl: null, mailbox: 'undisclosed recipients', host: 'MISSING_DOMAIN' }]);
    assert.deepEqual(parseAddressList('John <>'), [{ name: 'John', adl: null, mailbox: 'MISSING_MAILBOX', host: 'MISSING_DOMAIN' }]);
    for (const s of ['<<<', '>>>', '"unterminated', '(((comment', 'a@', '@b', ':;:;', '<a@b', 'a@b>c, [x', '\u0000\u00ff']) {
      for (const a of parseAddressList(s)) assert.ok(a.host !== null || a.name === null, s);
    }
  });
});

describe('parseMessageDate', () => {
  it('reads RFC 5322 dates with zones, obsolete zones and comments', () => {
    assert.equal(parseMessageDate('Mon, 1 Jan 2024 10:00:00 +0100')?.toISOString(), '2024-01-01T09:00:00.000Z');
    assert.equal(parseMessageDate('1 Jan 24 10:00 EST')?.toISOString(), '2024-01-01T15:00:00.000Z');
    assert.equal(parseMessageDate('Tue, 2 Feb 1999 23:59:59 -0000 (UTC)')?.toISOString(), '1999-02-02T23:59:59.000Z');
    assert.equal(parseMessageDate('2024-03-04T05:06:07Z')?.toISOString(), '2024-03-04T05:06:07.000Z');
  });

  it('gives null for what it cannot read', () => {
    assert.equal(parseMessageDate(null), null);
    assert.equal(parseMessageDate('yesterday'), null);
    assert.equal(parseMessageDate('32 Jan 2024 10:00:00 +0000'), null);
  });
});
