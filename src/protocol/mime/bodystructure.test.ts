import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { QUOTED_STRING_MAX, bodyStructureToImap, envelopeToImap, imapNString, imapString } from './bodystructure.js';
import { parseMessageStructure } from './structure.js';

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');
const parse = (s: string) => parseMessageStructure(Buffer.from(s));

describe('imapString', () => {
  it('quotes 7-bit text, escaping \\ and " (RFC 3501 §9 quoted)', () => {
    assert.equal(imapString('say "hi" \\o/'), '"say \\"hi\\" \\\\o/"');
    assert.equal(imapString(''), '""');
    assert.equal(imapNString(null), 'NIL');
  });

  it('sends CR, LF, 8-bit and long text as a literal counted in UTF-8 octets', () => {
    assert.equal(imapString('a\r\nb'), '{4}\r\na\r\nb');
    assert.equal(imapString('caf\u00e9'), '{5}\r\ncaf\u00e9');
    const long = 'x'.repeat(QUOTED_STRING_MAX + 1);
    assert.equal(imapString(long), `{${long.length}}\r\n${long}`);
  });

  it('never sends NUL', () => {
    assert.equal(imapString('a\u0000b'), '{5}\r\na\ufffdb');
  });
});

describe('envelopeToImap', () => {
  it('writes the RFC 3501 §7.4.2 envelope', () => {
    const s = parse(crlf(`Date: Mon, 1 Jan 2024 10:00:00 +0100
Subject: say "hi"
From: "Doe, John" <john@example.com>
Reply-To: list@example.org
To: undisclosed-recipients:;
Cc: Team: a@x, <@r.example:b@y>;
Message-ID: <m1@example.com>

`));
    assert.equal(envelopeToImap(s.envelope),
      '("Mon, 1 Jan 2024 10:00:00 +0100" "say \\"hi\\"" (("Doe, John" NIL "john" "example.com")) (("Doe, John" NIL "john" "example.com"))' +
      ' ((NIL NIL "list" "example.org")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL))' +
      ' ((NIL NIL "Team" NIL)(NIL NIL "a" "x")(NIL "@r.example" "b" "y")(NIL NIL NIL NIL)) NIL NIL "<m1@example.com>")');
  });

  it('writes an empty envelope as NILs and 8-bit subjects as literals', () => {
    assert.equal(envelopeToImap(parse('no header\r\n').envelope), '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)');
    assert.equal(envelopeToImap(parse('Subject: Caf\u00e9\r\n\r\n').envelope), '(NIL {5}\r\nCaf\u00e9 NIL NIL NIL NIL NIL NIL NIL NIL)');
  });
});

describe('bodyStructureToImap', () => {
  it('writes a text/plain message as Dovecot does (upper-case conventions)', () => {
    const s = parse('Content-Type: text/plain; charset=UTF-8\r\n\r\nHello Bob!\r\n');
    assert.equal(bodyStructureToImap(s.body, true), '("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 12 1 NIL NIL NIL NIL)');
    assert.equal(bodyStructureToImap(s.body, false), '("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "7BIT" 12 1)');
  });

  it('writes multipart/mixed with an attachment', () => {
    const s = parse(crlf(`Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hi
--XYZ
Content-Type: application/pdf; name="a.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="a.pdf"
Content-ID: <pdf@x>

JVBERi0=
--XYZ--
`));
    assert.equal(bodyStructureToImap(s.body, true),
      '(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "8BIT" 2 0 NIL NIL NIL NIL)' +
      '("APPLICATION" "PDF" ("NAME" "a.pdf") "<pdf@x>" NIL "BASE64" 8 NIL ("ATTACHMENT" ("FILENAME" "a.pdf")) NIL NIL)' +
      ' "MIXED" ("BOUNDARY" "XYZ") NIL NIL NIL)');
    assert.equal(bodyStructureToImap(s.body, false),
      '(("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "8BIT" 2 0)("APPLICATION" "PDF" ("NAME" "a.pdf") "<pdf@x>" NIL "BASE64" 8) "MIXED")');
  });

  // Dovecot's own test message (src/lib-imap/test-imap-bodystructure.c), with CRLF line ends so the
  // octet counts equal Dovecot's: its expected strings, with our upper-case type conventions.
  const dovecot = crlf(`From: user@domain.org
Date: Sat, 24 Mar 2007 23:00:00 +0200
Mime-Version: 1.0
Content-Type: multipart/mixed; boundary="foo
 bar"

Root MIME prologue

--foo bar
Content-Type: text/x-myown; charset=us-ascii; foo="quoted\\"string"
Content-ID: <foo@example.com>
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
Content-Disposition: inline; foo=bar
Content-Description: hellodescription
Content-Language: en, fi, se
Content-Location: http://example.com/test.txt

hello

--foo bar
Content-Type: message/rfc822

From: sub@domain.org
To: sub-to1@domain.org, sub-to2@domain.org
Date: Sun, 12 Aug 2012 12:34:56 +0300
Subject: submsg
Content-Type: multipart/alternative; boundary="sub1"

Sub MIME prologue
--sub1
Content-Type: text/html
Content-Transfer-Encoding: 8bit

<p>Hello world</p>

--sub1
Content-Type: text/plain
Content-Transfer-Encoding: ?invalid

Hello another world

--sub1--
Sub MIME epilogue

--foo bar--
Root MIME epilogue
`);
  const subEnvelope = '("Sun, 12 Aug 2012 12:34:56 +0300" "submsg" ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub" "domain.org"))' +
    ' ((NIL NIL "sub" "domain.org")) ((NIL NIL "sub-to1" "domain.org")(NIL NIL "sub-to2" "domain.org")) NIL NIL NIL NIL)';

  it('matches Dovecot for its reference message (BODYSTRUCTURE)', () => {
    assert.equal(bodyStructureToImap(parse(dovecot).body, true),
      '(("TEXT" "X-MYOWN" ("CHARSET" "us-ascii" "FOO" "quoted\\"string") "<foo@example.com>" "hellodescription" "7BIT" 7 1' +
      ' "Q2hlY2sgSW50ZWdyaXR5IQ==" ("INLINE" ("FOO" "bar")) ("en" "fi" "se") "http://example.com/test.txt")' +
      `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 412 ${subEnvelope}` +
      ' (("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "8BIT" 20 1 NIL NIL NIL NIL)("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 1 NIL NIL NIL NIL)' +
      ' "ALTERNATIVE" ("BOUNDARY" "sub1") NIL NIL NIL) 21 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "foo bar") NIL NIL NIL)');
  });

  it('matches Dovecot for its reference message (BODY)', () => {
    assert.equal(bodyStructureToImap(parse(dovecot).body, false),
      '(("TEXT" "X-MYOWN" ("CHARSET" "us-ascii" "FOO" "quoted\\"string") "<foo@example.com>" "hellodescription" "7BIT" 7 1)' +
      `("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 412 ${subEnvelope}` +
      ' (("TEXT" "HTML" ("CHARSET" "us-ascii") NIL NIL "8BIT" 20 1)("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 21 1) "ALTERNATIVE") 21) "MIXED")');
  });

  it('keeps the message/rfc822 grammar when the message cannot be read, and a degraded multipart as one part', () => {
    const encoded = parse('Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA==\r\n');
    assert.equal(bodyStructureToImap(encoded.body, false),
      '("MESSAGE" "RFC822" NIL NIL NIL "BASE64" 18 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0) 1)');
    const degraded = parse('Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nhi\r\n');
    assert.equal(bodyStructureToImap(degraded.body, true), '("MULTIPART" "MIXED" NIL NIL NIL "7BIT" 11 NIL NIL NIL NIL)');
  });

  it('sends an RFC 2231 name in its encoded form and 8-bit values as literals', () => {
    const s = parse("Content-Type: application/octet-stream; name=\"caf\u00e9.txt\"\r\nContent-Disposition: attachment; filename*=utf-8''caf%C3%A9.txt\r\n\r\nx");
    assert.equal(bodyStructureToImap(s.body, true),
      '("APPLICATION" "OCTET-STREAM" ("NAME" {9}\r\ncaf\u00e9.txt) NIL NIL "7BIT" 1 NIL ("ATTACHMENT" ("FILENAME*" "utf-8\'\'caf%C3%A9.txt")) NIL NIL)');
  });
});
