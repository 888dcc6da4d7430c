import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { decodeCharset, decodeQuotedPrintable, decodeTransferEncoding, htmlToText } from './text.js';

describe('decodeQuotedPrintable', () => {
  it('decodes escapes and soft line breaks (CRLF and bare LF), keeps malformed = literally', () => {
    const input = Buffer.from('caf=C3=A9 =\r\nsoft=\nbreak =3d =ZZ end=  \r\nnext=');
    assert.equal(decodeQuotedPrintable(input).toString('utf8'), 'caf\u00e9 softbreak = =ZZ endnext=');
  });
});

describe('decodeTransferEncoding', () => {
  it('decodes base64 across line breaks and ignores garbage', () => {
    assert.equal(decodeTransferEncoding(Buffer.from('SGVs\r\nbG8=\r\n'), 'BASE64').toString(), 'Hello');
    assert.doesNotThrow(() => decodeTransferEncoding(Buffer.from('!!!*&^'), 'base64'));
  });

  it('returns identity encodings and unknown ones untouched', () => {
    const b = Buffer.from('x=41');
    assert.equal(decodeTransferEncoding(b, '8BIT'), b);
    assert.equal(decodeTransferEncoding(b, 'X-UUENCODE'), b);
  });
});

describe('decodeCharset', () => {
  it('decodes declared charsets and falls back to UTF-8 for unknown ones', () => {
    assert.equal(decodeCharset(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'ISO-8859-1'), 'caf\u00e9');
    assert.equal(decodeCharset(Buffer.from([0x80]), 'windows-1252'), '\u20ac');
    assert.equal(decodeCharset(Buffer.from('caf\u00e9'), 'x-no-such-charset'), 'caf\u00e9');
    assert.equal(decodeCharset(Buffer.from('caf\u00e9'), null), 'caf\u00e9');
  });
});

describe('htmlToText', () => {
  it('drops tags, comments, scripts and styles; decodes entities; blocks become lines', () => {
    const html = '<html><head><title>T</title><style>p{color:red}</style></head><body><!-- hi --><p>Caf&eacute;? &amp; caf&#233; &#x263A;</p>' +
      '<script>var a = "<p>";</script><div>Two&nbsp;&lt;words&gt;</div></body></html>';
    assert.equal(htmlToText(html), 'Caf&eacute;? & caf\u00e9 \u263a\nTwo <words>');
  });

  it('survives unterminated constructs in linear time', () => {
    assert.equal(htmlToText('text <b unterminated'), 'text');
    assert.equal(htmlToText('a <!-- never closed'), 'a');
    assert.equal(htmlToText('a <script> never closed'), 'a');
    const hostile = '<script>'.repeat(100_000) + '<!--'.repeat(100_000) + ' '.repeat(100_000) + 'x';
    const started = performance.now();
    htmlToText(hostile);
    assert.ok(performance.now() - started < 1000);
  });
});
