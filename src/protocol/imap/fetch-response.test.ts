import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import type { BodyPart, Envelope } from '../mime/index.js';
import { serializeResponse } from './responses.js';
import type { FetchResponseItem } from './response-types.js';

const fetch = (sequence: number, items: FetchResponseItem[]): string => serializeResponse({ type: 'FETCH', sequence, items }).toString('latin1');

// The message of RFC 3501 §8.
const ENVELOPE: Envelope = {
  date: 'Wed, 17 Jul 1996 02:23:25 -0700 (PDT)',
  subject: 'IMAP4rev1 WG mtg summary and minutes',
  from: [{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }],
  sender: [{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }],
  replyTo: [{ name: 'Terry Gray', adl: null, mailbox: 'gray', host: 'cac.washington.edu' }],
  to: [{ name: null, adl: null, mailbox: 'imap', host: 'cac.washington.edu' }],
  cc: [{ name: null, adl: null, mailbox: 'minutes', host: 'CNRI.Reston.VA.US' }, { name: 'John Klensin', adl: null, mailbox: 'KLENSIN', host: 'MIT.EDU' }],
  bcc: null,
  inReplyTo: null,
  messageId: '<B27397-0100000@cac.washington.edu>',
};

const BODY: BodyPart = {
  type: 'text', subtype: 'plain', params: [['charset', 'US-ASCII']], id: null, description: null, encoding: '7BIT', size: 3028, lines: 92,
  md5: null, disposition: null, language: null, location: null, filename: null, headerStart: 0, bodyStart: 0, end: 0, children: null, message: null,
};

const HEADER = 'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\nFrom: Terry Gray <gray@cac.washington.edu>\r\n'
  + 'Subject: IMAP4rev1 WG mtg summary and minutes\r\nTo: imap@cac.washington.edu\r\n'
  + 'cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\nMessage-Id: <B27397-0100000@cac.washington.edu>\r\n'
  + 'MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n';

describe('FETCH responses', () => {
  it('writes the RFC 3501 §8 sample FETCH responses byte for byte', () => {
    assert.equal(fetch(12, [
      { type: 'FLAGS', flags: ['\\Seen'] },
      { type: 'INTERNALDATE', date: new Date('1996-07-17T09:44:25Z'), offsetMinutes: -420 },
      { type: 'RFC822.SIZE', size: 4286 },
      { type: 'ENVELOPE', envelope: ENVELOPE },
      { type: 'BODY', body: BODY },
    ]), '* 12 FETCH (FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" '
      + '"IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) '
      + '(("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")'
      + '("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))\r\n');
    assert.equal(HEADER.length, 342);
    assert.equal(fetch(12, [{ type: 'BODY[]', section: { part: [], specifier: 'HEADER', fields: [] }, origin: null, data: Buffer.from(HEADER) }]),
      `* 12 FETCH (BODY[HEADER] {342}\r\n${HEADER})\r\n`);
    assert.equal(fetch(12, [{ type: 'FLAGS', flags: ['\\Seen', '\\Deleted'] }]), '* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\n');
  });

  it('writes MODSEQ in parentheses (RFC 7162 §3.1.4 example)', () => {
    assert.equal(fetch(1, [{ type: 'UID', uid: 4 }, { type: 'MODSEQ', modSeq: 65402 }, { type: 'FLAGS', flags: ['\\Seen'] }]), '* 1 FETCH (UID 4 MODSEQ (65402) FLAGS (\\Seen))\r\n');
  });

  it('writes sections with their header lists, origins, literal8 and NIL', () => {
    const section = { part: [1, 2], specifier: 'HEADER.FIELDS' as const, fields: ['DATE', 'X-Spam Flag'] };
    assert.equal(fetch(3, [{ type: 'BODY[]', section, origin: null, data: 'Date: x\r\n\r\n' }]), '* 3 FETCH (BODY[1.2.HEADER.FIELDS (DATE "X-Spam Flag")] {11}\r\nDate: x\r\n\r\n)\r\n');
    assert.equal(fetch(1, [{ type: 'BODY[]', section: { part: [], specifier: null, fields: [] }, origin: 0, data: Buffer.from('hello') }]), '* 1 FETCH (BODY[]<0> {5}\r\nhello)\r\n');
    assert.equal(fetch(1, [{ type: 'BODY[]', section: { part: [9], specifier: null, fields: [] }, origin: null, data: null }]), '* 1 FETCH (BODY[9] NIL)\r\n');
    assert.equal(fetch(1, [{ type: 'BINARY[]', part: [1], origin: null, data: Buffer.from('he\0lo') }, { type: 'BINARY.SIZE', part: [1], size: 5 }]),
      '* 1 FETCH (BINARY[1] ~{5}\r\nhe\0lo BINARY.SIZE[1] 5)\r\n');
    assert.equal(fetch(2, [{ type: 'RFC822.TEXT', data: 'caf\u00e9' }]), '* 2 FETCH (RFC822.TEXT {5}\r\ncaf\u00c3\u00a9)\r\n');
  });

  it('takes ENVELOPE and BODYSTRUCTURE already serialized (as cached)', () => {
    assert.equal(fetch(1, [{ type: 'ENVELOPE', envelope: '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)' }, { type: 'BODYSTRUCTURE', body: '("TEXT" "PLAIN" NIL NIL NIL "7BIT" 0 0)' }]),
      '* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 0 0))\r\n');
  });

  it('refuses to put a streamed body in one Buffer', () => {
    assert.throws(() => fetch(1, [{ type: 'RFC822', data: { stream: (async function* () {})(), size: 0 } }]), /writeResponse/);
  });
});
