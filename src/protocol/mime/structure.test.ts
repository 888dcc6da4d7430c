import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { MAX_NESTING_DEPTH, MAX_PARTS, SEARCHABLE_TEXT_LIMIT, findSection, parseMessageStructure, sectionRange } from './structure.js';
import type { BodyPart } from './types.js';

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');
const body = (raw: Buffer, part: BodyPart): string => raw.toString('latin1', part.bodyStart, part.end);
const mime = (raw: Buffer, part: BodyPart): string => raw.toString('latin1', part.headerStart, part.bodyStart);
const section = (raw: Buffer, root: BodyPart, spec: string): string | null => {
  const r = sectionRange(root, spec);
  return r && raw.toString('latin1', r.start, r.end);
};
const nil = { name: null, adl: null, mailbox: null, host: null };

const simple = crlf(`From: Alice <alice@example.com>
To: bob@example.org
Subject: Hello
Date: Mon, 1 Jan 2024 10:00:00 +0100
Message-ID: <m1@example.com>
In-Reply-To: <m0@example.com>
References: <a@x> <m0@example.com>

Hi Bob,
bye
`);

describe('parseMessageStructure: a simple text message', () => {
  const raw = Buffer.from(simple);
  const s = parseMessageStructure(raw);

  it('gives RFC 2045 defaults and the body range', () => {
    assert.equal(s.body.type, 'text');
    assert.equal(s.body.subtype, 'plain');
    assert.deepEqual(s.body.params, [['charset', 'us-ascii']]);
    assert.equal(s.body.encoding, '7BIT');
    assert.equal(body(raw, s.body), 'Hi Bob,\r\nbye\r\n');
    assert.equal(s.body.size, 14);
    assert.equal(s.body.lines, 2);
    assert.equal(s.headerBytes, simple.indexOf('\r\n\r\n') + 4);
    assert.equal(s.size, raw.length);
    assert.equal(s.body.children, null);
  });

  it('builds the envelope; Sender and Reply-To default to From', () => {
    const alice = [{ name: 'Alice', adl: null, mailbox: 'alice', host: 'example.com' }];
    assert.deepEqual(s.envelope, {
      date: 'Mon, 1 Jan 2024 10:00:00 +0100',
      subject: 'Hello',
      from: alice,
      sender: alice,
      replyTo: alice,
      to: [{ name: null, adl: null, mailbox: 'bob', host: 'example.org' }],
      cc: null,
      bcc: null,
      inReplyTo: '<m0@example.com>',
      messageId: '<m1@example.com>',
    });
  });

  it('fills the searchable fields', () => {
    assert.deepEqual(s.searchable, {
      subject: 'Hello', from: 'Alice <alice@example.com>', to: 'bob@example.org', cc: '', bcc: '',
      messageId: '<m1@example.com>', inReplyTo: '<m0@example.com>', references: ['<a@x>', '<m0@example.com>'],
      date: '2024-01-01T09:00:00.000Z', text: 'Hi Bob,\nbye\n',
    });
  });

  it('serves sections of a non-multipart message (RFC 3501 §6.4.5)', () => {
    assert.equal(findSection(s.body, '1'), s.body);
    assert.equal(findSection(s.body, '2'), null);
    assert.equal(findSection(s.body, '1.1'), null);
    assert.equal(findSection(s.body, '0'), null);
    assert.equal(findSection(s.body, 'x'), null);
    assert.equal(section(raw, s.body, '1'), 'Hi Bob,\r\nbye\r\n');
    assert.equal(section(raw, s.body, 'TEXT'), 'Hi Bob,\r\nbye\r\n');
    assert.equal(section(raw, s.body, 'HEADER'), simple.slice(0, s.headerBytes));
    assert.equal(section(raw, s.body, ''), simple);
    assert.equal(section(raw, s.body, '1.HEADER'), null);
  });

  it('is JSON-serializable', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });
});

describe('parseMessageStructure: multiparts', () => {
  it('splits multipart/alternative; the CRLF before a delimiter belongs to it', () => {
    const raw = Buffer.from(crlf(`Content-Type: multipart/alternative; boundary="=_b"

preamble
--=_b
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

caf=C3=A9
--=_b
Content-Type: text/html; charset=utf-8

<p>caf&eacute; <b>bold</b></p>

--=_b--
epilogue
`));
    const s = parseMessageStructure(raw);
    const [plain, html] = s.body.children!;
    assert.equal(s.body.children!.length, 2);
    assert.equal(body(raw, plain!), 'caf=C3=A9');
    assert.equal(mime(raw, plain!), 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n');
    assert.equal(plain!.lines, 0);
    assert.equal(body(raw, html!), '<p>caf&eacute; <b>bold</b></p>\r\n');
    assert.equal(html!.lines, 1);
    assert.equal(plain!.encoding, 'QUOTED-PRINTABLE');
    assert.equal(findSection(s.body, '2'), html);
    assert.equal(findSection(s.body, '3'), null);
    assert.equal(section(raw, s.body, '2.MIME'), 'Content-Type: text/html; charset=utf-8\r\n\r\n');
    assert.equal(s.searchable.text, 'caf\u00e9\ncaf&eacute; bold');
  });

  it('reads multipart/mixed with a base64 attachment named through RFC 2231', () => {
    const pdf = Buffer.from('%PDF-1.4 not really').toString('base64');
    const raw = Buffer.from(crlf(`Content-Type: multipart/mixed; boundary=XYZ

--XYZ

See attached.
--XYZ
Content-Type: application/pdf; name="resume.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment;
 filename*0*=utf-8''r%C3%A9sum;
 filename*1*=%C3%A9.pdf

${pdf}
--XYZ--
`));
    const s = parseMessageStructure(raw);
    const [text, attachment] = s.body.children!;
    assert.equal(body(raw, text!), 'See attached.');
    assert.equal(text!.headerStart, text!.bodyStart - 2);
    assert.equal(attachment!.type, 'application');
    assert.equal(attachment!.encoding, 'BASE64');
    assert.equal(attachment!.lines, null);
    assert.equal(body(raw, attachment!), pdf);
    assert.deepEqual(attachment!.disposition, { type: 'attachment', params: [['filename*', "utf-8''r%C3%A9sum%C3%A9.pdf"]] });
    assert.equal(attachment!.filename, 'r\u00e9sum\u00e9.pdf');
    assert.equal(s.searchable.text, 'See attached.');
  });

  it('decodes base64 and quoted-printable text in its charset for search', () => {
    const latin1 = Buffer.from('Gr\u00fc\u00dfe aus K\u00f6ln\n', 'latin1').toString('base64');
    const raw = Buffer.from(crlf(`Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: base64

${latin1}
--b
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

=80 5, caf=E9 =
au lait
--b--
`));
    assert.equal(parseMessageStructure(raw).searchable.text, 'Gr\u00fc\u00dfe aus K\u00f6ln\n\n\u20ac 5, caf\u00e9 au lait');
  });

  it('gives the parts of a multipart/digest the default type message/rfc822 (RFC 2046 §5.1.5)', () => {
    const raw = Buffer.from(crlf('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nfirst\n--d--\n'));
    const part = parseMessageStructure(raw).body.children![0]!;
    assert.equal(`${part.type}/${part.subtype}`, 'message/rfc822');
    assert.equal(part.message?.envelope.subject, 'one');
  });
});

describe('parseMessageStructure: message/rfc822', () => {
  const inner = crlf(`From: Carol <carol@example.net>
Subject: =?utf-8?q?inner_caf=C3=A9?=
Content-Type: multipart/alternative; boundary=in

--in
Content-Type: text/plain

inner text
--in
Content-Type: text/html

<i>inner html</i>
--in--
`);
  const raw = Buffer.from(crlf(`Subject: outer
Content-Type: multipart/mixed; boundary=out

--out
Content-Type: text/plain

outer text
--out
Content-Type: message/rfc822
Content-Description: forwarded

${inner}
--out
Content-Type: message/rfc822

Subject: plain inner

just text
--out--
`));
  const s = parseMessageStructure(raw);
  const forwarded = s.body.children![1]!;

  it('carries the encapsulated envelope and body', () => {
    assert.equal(forwarded.description, 'forwarded');
    assert.equal(body(raw, forwarded), `${inner}`);
    assert.equal(forwarded.lines, inner.split('\n').length - 1);
    assert.equal(forwarded.message!.envelope.subject, '=?utf-8?q?inner_caf=C3=A9?=');
    assert.deepEqual(forwarded.message!.envelope.from, [{ name: 'Carol', adl: null, mailbox: 'carol', host: 'example.net' }]);
    assert.equal(forwarded.message!.body.headerStart, forwarded.bodyStart);
  });

  it('numbers the encapsulated parts under the message part (RFC 3501 §6.4.5)', () => {
    assert.equal(findSection(s.body, '2'), forwarded);
    assert.equal(section(raw, s.body, '2.1'), 'inner text');
    assert.equal(section(raw, s.body, '2.2'), '<i>inner html</i>');
    assert.equal(findSection(s.body, '2.3'), null);
    assert.equal(section(raw, s.body, '2.HEADER'), inner.slice(0, inner.indexOf('\r\n\r\n') + 4));
    assert.equal(section(raw, s.body, '2.TEXT'), inner.slice(inner.indexOf('\r\n\r\n') + 4));
    assert.equal(section(raw, s.body, '2.2.MIME'), 'Content-Type: text/html\r\n\r\n');
    assert.equal(section(raw, s.body, '3.1'), 'just text');
    assert.equal(findSection(s.body, '3.1'), s.body.children![2]!.message!.body);
    assert.equal(findSection(s.body, '3.2'), null);
    assert.equal(section(raw, s.body, '1.TEXT'), null);
  });

  it('indexes the encapsulated text too', () => {
    assert.equal(s.searchable.text, 'outer text\ninner text\ninner html\njust text');
    assert.equal(s.searchable.subject, 'outer');
  });
});

describe('parseMessageStructure: headers', () => {
  it('represents group syntax as RFC 3501 does', () => {
    const s = parseMessageStructure(Buffer.from(crlf('From: a@x\nTo: undisclosed-recipients:;\nCc: Team: b@y, "C" <c@z>;\n\n')));
    assert.deepEqual(s.envelope.to, [{ name: null, adl: null, mailbox: 'undisclosed-recipients', host: null }, nil]);
    assert.deepEqual(s.envelope.cc, [
      { name: null, adl: null, mailbox: 'Team', host: null },
      { name: null, adl: null, mailbox: 'b', host: 'y' },
      { name: 'C', adl: null, mailbox: 'c', host: 'z' },
      nil,
    ]);
  });

  it('keeps encoded words raw in the envelope and decodes them for search', () => {
    const s = parseMessageStructure(Buffer.from(crlf('From: =?UTF-8?Q?J=C3=B6rg?= <j@example.de>\nSubject: =?UTF-8?B?SGVsbG8gd8O2cmxk?=\n =?UTF-8?Q?_again?=\n\nx')));
    assert.equal(s.envelope.subject, '=?UTF-8?B?SGVsbG8gd8O2cmxk?= =?UTF-8?Q?_again?=');
    assert.equal(s.envelope.from![0]!.name, '=?UTF-8?Q?J=C3=B6rg?=');
    assert.equal(s.searchable.subject, 'Hello w\u00f6rld again');
    assert.equal(s.searchable.from, 'J\u00f6rg <j@example.de>');
  });

  it('reads 8-bit headers as UTF-8, or Latin-1 when they are not UTF-8', () => {
    const raw = Buffer.concat([Buffer.from('Subject: Caf\u00e9 \u2615\r\nFrom: Ren'), Buffer.from([0xe9]), Buffer.from(' <r@x>\r\n\r\n')]);
    const s = parseMessageStructure(raw);
    assert.equal(s.envelope.subject, 'Caf\u00e9 \u2615');
    assert.equal(s.envelope.from![0]!.name, 'Ren\u00e9');
  });

  it('keeps a 1 MB header line and finds the body after it', () => {
    const long = 'x'.repeat(1024 * 1024);
    const raw = Buffer.from(`Subject: ${long}\r\nTo: ${'a@b, '.repeat(50_000)}c@d\r\n\r\nbody`);
    const s = parseMessageStructure(raw);
    assert.equal(s.envelope.subject, long);
    assert.equal(s.envelope.to!.length, 50_001);
    assert.equal(body(raw, s.body), 'body');
  });

  it('gives a null date when the Date header cannot be read', () => {
    assert.equal(parseMessageStructure(Buffer.from('Date: someday\r\n\r\n')).searchable.date, null);
  });
});

describe('parseMessageStructure: malformed input', () => {
  it('reads a bare-LF message with the same offsets logic', () => {
    const raw = Buffer.from('Subject: lf\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\none\n--b\r\n\r\ntwo\r\n--b--\n');
    const s = parseMessageStructure(raw);
    assert.equal(s.headerBytes, raw.indexOf('\n\n') + 2);
    assert.deepEqual(s.body.children!.map((p) => body(raw, p)), ['one', 'two']);
  });

  it('handles a message with no header at all, an empty message and a header-only message', () => {
    const raw = Buffer.from('Just a body line\r\nmore\r\n');
    const s = parseMessageStructure(raw);
    assert.equal(s.headerBytes, 0);
    assert.equal(body(raw, s.body), 'Just a body line\r\nmore\r\n');
    assert.deepEqual(Object.values(s.envelope), Array(10).fill(null));
    const empty = parseMessageStructure(Buffer.alloc(0));
    assert.deepEqual([empty.headerBytes, empty.body.size, empty.body.lines], [0, 0, 0]);
    const headerOnly = parseMessageStructure(Buffer.from('Subject: only\r\n'));
    assert.deepEqual([headerOnly.headerBytes, headerOnly.body.size, headerOnly.envelope.subject], [15, 0, 'only']);
  });

  it('survives NUL bytes in header and body', () => {
    const raw = Buffer.from('Subject: a\u0000b\r\nContent-Type: text/plain; charset=\u0000\r\n\r\nbo\u0000dy');
    const s = parseMessageStructure(raw);
    assert.equal(s.envelope.subject, 'a\u0000b');
    assert.equal(body(raw, s.body), 'bo\u0000dy');
  });

  it('keeps a multipart without boundary parameter, or without any delimiter, as one leaf', () => {
    for (const text of ['Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nhi\r\n', 'Content-Type: multipart/mixed; boundary=zz\r\n\r\n--x\r\n\r\nhi\r\n--zzz\r\n']) {
      const s = parseMessageStructure(Buffer.from(text));
      assert.equal(s.body.children, null);
      assert.equal(s.body.type, 'multipart');
      assert.equal(s.body.end, text.length);
    }
  });

  it('ends the last part at the end when the close delimiter is missing', () => {
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo, truncated');
    assert.deepEqual(parseMessageStructure(raw).body.children!.map((p) => body(raw, p)), ['one', 'two, truncated']);
  });

  it('matches delimiters exactly: transport padding yes, a longer boundary no', () => {
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b \t\r\n\r\none\r\n--bb\r\nstill one\r\n--b\r\n\r\n--b--\r\n--b\r\n\r\nepilogue\r\n');
    const parts = parseMessageStructure(raw).body.children!;
    assert.deepEqual(parts.map((p) => body(raw, p)), ['one\r\n--bb\r\nstill one', '']);
  });

  it('caps nesting depth and the number of parts', () => {
    let nested = 'leaf';
    for (let i = 0; i < MAX_NESTING_DEPTH + 10; i++) nested = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${nested}\r\n--b${i}--\r\n`;
    let part: BodyPart | undefined = parseMessageStructure(Buffer.from(nested)).body;
    let depth = 0;
    while (part?.children) [part, depth] = [part.children[0], depth + 1];
    assert.equal(depth, MAX_NESTING_DEPTH);

    const many = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\n\r\nx\r\n'.repeat(MAX_PARTS * 2)}`);
    const s = parseMessageStructure(many);
    assert.ok(s.body.children!.length < MAX_PARTS && s.body.children!.length > MAX_PARTS - 10);
  });

  it('caps the searchable text at SEARCHABLE_TEXT_LIMIT characters', () => {
    const raw = Buffer.from(`Subject: big\r\n\r\n${'word '.repeat(SEARCHABLE_TEXT_LIMIT / 2)}`);
    assert.equal(parseMessageStructure(raw).searchable.text.length, SEARCHABLE_TEXT_LIMIT);
  });
});

describe('parseMessageStructure: size and speed', () => {
  it('parses a 35 MB message in linear time', () => {
    const attachment = Buffer.alloc(26 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const noise = '\n--b-not-a-delimiter\n-'.repeat(100_000);
    const raw = Buffer.from(`Subject: big\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n${noise}\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b\r\nContent-Type: text/plain\r\n\r\n${'line\n'.repeat(200_000)}--b--\r\n`);
    assert.ok(raw.length > 35_000_000);
    const started = performance.now();
    const s = parseMessageStructure(raw);
    const elapsed = performance.now() - started;
    assert.equal(s.body.children!.length, 3);
    assert.equal(body(raw, s.body.children![1]!), attachment);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });

  it('counts the lines of large nested parts exactly', () => {
    let message = `Subject: leaf\r\n\r\n${'a line\n'.repeat(100_000)}tail`;
    for (let i = 0; i < 5; i++) message = `Subject: level ${i}\r\nContent-Type: message/rfc822\r\n\r\n${message}`;
    const raw = Buffer.from(message);
    let part: BodyPart | undefined = parseMessageStructure(raw).body;
    for (; part; part = part.message?.body) {
      assert.equal(part.lines, raw.subarray(part.bodyStart, part.end).toString('latin1').split('\n').length - 1);
    }
  });

  it('parses a 4 KiB message in well under 0.1 ms', () => {
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n'.repeat(25);
    const raw = Buffer.from(`${simple.split('\r\n\r\n')[0]}\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>${text}</p>\r\n--b--\r\n`);
    assert.ok(raw.length > 4000 && raw.length < 4400);
    for (let i = 0; i < 2000; i++) parseMessageStructure(raw); // warm up the JIT
    const rounds = 5000;
    const started = process.cpuUsage();
    for (let i = 0; i < rounds; i++) parseMessageStructure(raw);
    const { user, system } = process.cpuUsage(started);
    const microseconds = (user + system) / rounds;
    assert.ok(microseconds < 100, `${microseconds.toFixed(1)} µs per message`);
  });
});
