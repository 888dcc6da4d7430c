// Random mutations of a few seed messages: the codec must never throw, never point outside the
// message, and always write well-formed IMAP syntax.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { bodyStructureToImap, envelopeToImap } from './bodystructure.js';
import { findSection, parseMessageStructure, sectionRange } from './structure.js';
import type { BodyPart } from './types.js';
import { seededRandom as prng } from '../../../test/support/seeded-random.js';

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

const seeds = [
  crlf(`From: "Doe, John" <john@example.com>
To: Team: a@x, =?utf-8?q?B=C3=B6b?= <b@y>;, c@z (Carol)
Subject: =?utf-8?B?SGVsbG8gd8O2cmxk?=
Date: Mon, 1 Jan 2024 10:00:00 +0100
Content-Type: multipart/mixed; boundary="outer"

preamble
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

caf=E9 =
soft
--inner
Content-Type: text/html; charset=utf-8

<p>Hello &amp; <b>bye</b></p>
--inner--
--outer
Content-Type: message/rfc822

From: x@y
Subject: inner
Content-Type: multipart/mixed; boundary=deep

--deep
Content-Type: application/octet-stream; name*0*=utf-8''a%C3%A9; name*1=".bin"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="a.bin"

AAECAwQF
--deep--
--outer--
epilogue
`),
  'Subject: bare lf\nContent-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\n1\n--d\nContent-Type: text/plain\n\n2\n--d--\n',
  'no header line at all\r\n--b\r\n',
  crlf(`Content-Type: text/plain; charset="utf-8"; format=flowed
Content-Language: en, fr
Content-Location: http://example.com/x

text with "quotes" and \\ backslashes
`),
];

const INTERESTING = ['\r\n', '\n', '--', '--outer', '\r\n--inner--\r\n', '"', '(', ')', '<', '>', ':', ';', ',', '=?', '?=', '\\', '\0', '\xff', '\r\n\r\n', ' '];

function mutate(input: Buffer, random: () => number): Buffer {
  let raw = input;
  const pick = (n: number): number => Math.floor(random() * n);
  for (let round = 1 + pick(3); round > 0; round--) {
    const at = pick(raw.length + 1);
    switch (pick(5)) {
      case 0: { // byte flips
        raw = Buffer.from(raw);
        for (let k = 1 + pick(8); k > 0 && raw.length > 0; k--) raw[pick(raw.length)] = pick(256);
        break;
      }
      case 1: // truncation
        raw = raw.subarray(0, at);
        break;
      case 2: { // boundary duplication: copy a delimiter line elsewhere
        const text = raw.toString('latin1');
        const starts = [...text.matchAll(/^--[^\r\n]*\r?\n?/gm)];
        const line = starts.length > 0 ? starts[pick(starts.length)]![0] : '--b\r\n';
        raw = Buffer.concat([raw.subarray(0, at), Buffer.from(line.repeat(1 + pick(3)), 'latin1'), raw.subarray(at)]);
        break;
      }
      case 3: // insertion of syntax
        raw = Buffer.concat([raw.subarray(0, at), Buffer.from(INTERESTING[pick(INTERESTING.length)]!, 'latin1'), raw.subarray(at)]);
        break;
      default: // deletion of a range
        raw = Buffer.concat([raw.subarray(0, at), raw.subarray(Math.min(raw.length, at + 1 + pick(40)))]);
    }
  }
  return raw;
}

/** Reads one IMAP value (RFC 3501 §9: NIL, number, quoted, literal, list); returns the offset after it. */
function readValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === 0x28) { // (
    i++;
    while (b[i] !== 0x29) {
      if (i >= b.length) throw new Error('unbalanced parenthesis');
      if (b[i] === 0x20) i++;
      i = readValue(b, i);
    }
    return i + 1;
  }
  if (c === 0x22) { // "
    for (i++; i < b.length; i++) {
      if (b[i] === 0x5c) i++;
      else if (b[i] === 0x22) return i + 1;
      else if (b[i] === 0x0d || b[i] === 0x0a || b[i]! > 0x7f || b[i] === 0) throw new Error('bad quoted char');
    }
    throw new Error('unterminated quoted string');
  }
  if (c === 0x7b) { // {n}\r\n
    const close = b.indexOf('}\r\n', i);
    const n = Number(b.toString('latin1', i + 1, close));
    if (close < 0 || !Number.isInteger(n) || close + 3 + n > b.length) throw new Error('bad literal');
    if (b.subarray(close + 3, close + 3 + n).includes(0)) throw new Error('NUL in literal');
    return close + 3 + n;
  }
  const m = /^(NIL|[0-9]+)/.exec(b.toString('latin1', i, i + 12));
  if (!m) throw new Error(`unexpected ${JSON.stringify(b.toString('latin1', i, i + 20))}`);
  return i + m[0].length;
}

function assertImapList(s: string): void {
  const b = Buffer.from(s, 'utf8');
  assert.equal(b[0], 0x28);
  assert.equal(readValue(b, 0), b.length, 'one complete list');
}

/** Every section number the structure has, by RFC 3501 §6.4.5. */
function sectionPaths(part: BodyPart, prefix: string, out: string[]): void {
  const children = part.children ?? [part];
  children.forEach((child, i) => {
    const path = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
    out.push(path);
    if (child.message) sectionPaths(child.message.body, path, out);
    else if (child.children && child !== part) sectionPaths(child, path, out);
  });
}

function assertOffsets(part: BodyPart, lo: number, hi: number, length: number): void {
  assert.ok(lo <= part.headerStart && part.headerStart <= part.bodyStart && part.bodyStart <= part.end && part.end <= hi);
  assert.ok(part.end <= length);
  assert.equal(part.size, part.end - part.bodyStart);
  for (const child of part.children ?? []) assertOffsets(child, part.bodyStart, part.end, length);
  if (part.message) assertOffsets(part.message.body, part.bodyStart, part.end, length);
}

describe('fuzz: mutated messages', () => {
  it('never throws, stays in bounds and writes balanced IMAP syntax (2,000 mutations)', () => {
    const random = prng(0x5eed);
    for (let n = 0; n < 2000; n++) {
      const raw = mutate(Buffer.from(seeds[n % seeds.length]!, 'latin1'), random);
      const context = `mutation ${n}: ${JSON.stringify(raw.toString('latin1').slice(0, 400))}`;
      try {
        const s = parseMessageStructure(raw);
        assert.ok(s.headerBytes >= 0 && s.headerBytes <= raw.length);
        assert.equal(s.size, raw.length);
        assertOffsets(s.body, 0, raw.length, raw.length);
        assertImapList(envelopeToImap(s.envelope));
        assertImapList(bodyStructureToImap(s.body, true));
        assertImapList(bodyStructureToImap(s.body, false));
        const paths: string[] = [];
        sectionPaths(s.body, '', paths);
        for (const path of paths) {
          assert.notEqual(findSection(s.body, path), null, path);
          for (const spec of ['', '.MIME', '.HEADER', '.TEXT']) {
            const range = sectionRange(s.body, path + spec);
            if (range) assert.ok(range.start >= 0 && range.start <= range.end && range.end <= raw.length);
          }
        }
        JSON.stringify(s);
      } catch (err) {
        assert.fail(`${context}\n${err instanceof Error ? err.stack : String(err)}`);
      }
    }
  });

  it('checks the seeds themselves', () => {
    for (const seed of seeds) assertImapList(bodyStructureToImap(parseMessageStructure(Buffer.from(seed, 'latin1')).body, true));
  });
});
