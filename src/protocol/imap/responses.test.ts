import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { commandErrorResponse, parseErrorResponse, serializeResponse, tagged, untagged } from './responses.js';
import type { Response, ThreadNode } from './response-types.js';
import { parseText } from './reader-test-support.js';

const wire = (r: Response, utf8 = false): string => serializeResponse(r, { utf8 }).toString('utf8');

describe('status responses', () => {
  it('writes the RFC 3501 §8 sample session lines', () => {
    assert.equal(wire(untagged('OK', 'IMAP4rev1 Service Ready')), '* OK IMAP4rev1 Service Ready\r\n');
    assert.equal(wire(tagged('a001', 'OK', 'LOGIN completed')), 'a001 OK LOGIN completed\r\n');
    assert.equal(wire({ type: 'EXISTS', count: 18 }), '* 18 EXISTS\r\n');
    assert.equal(wire({ type: 'FLAGS', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] }), '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n');
    assert.equal(wire({ type: 'RECENT', count: 2 }), '* 2 RECENT\r\n');
    assert.equal(wire(untagged('OK', 'Message 17 is the first unseen message', { code: 'UNSEEN', value: 17 })), '* OK [UNSEEN 17] Message 17 is the first unseen message\r\n');
    assert.equal(wire(untagged('OK', 'UIDs valid', { code: 'UIDVALIDITY', value: 3857529045 })), '* OK [UIDVALIDITY 3857529045] UIDs valid\r\n');
    assert.equal(wire(tagged('a002', 'OK', 'SELECT completed', { code: 'READ-WRITE' })), 'a002 OK [READ-WRITE] SELECT completed\r\n');
    assert.equal(wire(tagged('a005', 'OK', '+FLAGS completed')), 'a005 OK +FLAGS completed\r\n');
    assert.equal(wire(untagged('BYE', 'IMAP4rev1 server terminating connection')), '* BYE IMAP4rev1 server terminating connection\r\n');
    assert.equal(wire(tagged('a006', 'OK', 'LOGOUT completed')), 'a006 OK LOGOUT completed\r\n');
  });

  it('writes every response code', () => {
    const code = (c: Parameters<typeof untagged>[2]): string => wire(untagged('OK', 'x', c));
    assert.equal(code({ code: 'PERMANENTFLAGS', flags: ['\\Deleted', '\\Seen', '\\*'] }), '* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] x\r\n');
    assert.equal(code({ code: 'CAPABILITY', capabilities: ['IMAP4rev1', 'IDLE'] }), '* OK [CAPABILITY IMAP4rev1 IDLE] x\r\n');
    assert.equal(code({ code: 'BADCHARSET', charsets: ['UTF-8', 'US-ASCII'] }), '* OK [BADCHARSET (UTF-8 US-ASCII)] x\r\n');
    assert.equal(code({ code: 'BADCHARSET', charsets: [] }), '* OK [BADCHARSET] x\r\n');
    assert.equal(code({ code: 'UIDNEXT', value: 4392 }), '* OK [UIDNEXT 4392] x\r\n');
    for (const simple of ['ALERT', 'PARSE', 'READ-ONLY', 'TRYCREATE', 'NOMODSEQ', 'CLOSED', 'NONEXISTENT', 'ALREADYEXISTS', 'OVERQUOTA',
      'NOPERM', 'INUSE', 'TOOBIG', 'CANNOT', 'LIMIT', 'AUTHENTICATIONFAILED', 'CONTACTADMIN', 'USEATTR', 'UNAVAILABLE'] as const) {
      assert.equal(code({ code: simple }), `* OK [${simple}] x\r\n`);
    }
  });

  it('writes UIDPLUS codes (RFC 4315 §3 examples)', () => {
    assert.equal(wire(tagged('A003', 'OK', 'APPEND completed', { code: 'APPENDUID', uidValidity: 38505, uids: [3955] })), 'A003 OK [APPENDUID 38505 3955] APPEND completed\r\n');
    assert.equal(wire(tagged('A004', 'OK', 'Done', { code: 'COPYUID', uidValidity: 38505, sourceUids: [304, 319, 320], destinationUids: [3956, 3957, 3958] })),
      'A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n');
    assert.equal(wire(tagged('A5', 'OK', 'Done', { code: 'APPENDUID', uidValidity: 1, uids: [7, 8, 9] })), 'A5 OK [APPENDUID 1 7:9] Done\r\n');
  });

  it('writes CONDSTORE codes (RFC 7162 §3.1 examples)', () => {
    assert.equal(wire(untagged('OK', 'Highest', { code: 'HIGHESTMODSEQ', value: 715194045007 })), '* OK [HIGHESTMODSEQ 715194045007] Highest\r\n');
    assert.equal(wire(untagged('OK', "Sorry, this mailbox format doesn't support modsequences", { code: 'NOMODSEQ' })),
      "* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n");
    assert.equal(wire(tagged('d105', 'OK', 'Conditional STORE failed', { code: 'MODIFIED', numbers: [9, 7] })), 'd105 OK [MODIFIED 7,9] Conditional STORE failed\r\n');
  });

  it('keeps text on one line and writes continuations', () => {
    assert.equal(wire(tagged('A1', 'NO', 'bad\r\nthing')), 'A1 NO bad  thing\r\n');
    assert.equal(wire({ type: 'continuation', text: 'Ready for literal data' }), '+ Ready for literal data\r\n');
    assert.equal(wire({ type: 'continuation', text: new Uint8Array(0) }), '+ \r\n');
    assert.equal(wire({ type: 'continuation', text: Buffer.from('challenge') }), '+ Y2hhbGxlbmdl\r\n');
  });

  it('answers reader and parser errors', () => {
    assert.equal(wire(commandErrorResponse({ tag: 'A1', name: 'LOGIN', status: 'BAD', code: 'TOOBIG', text: 'Command line too long', fatal: false })),
      'A1 BAD [TOOBIG] Command line too long\r\n');
    assert.equal(wire(commandErrorResponse({ tag: null, name: null, status: 'BAD', code: null, text: 'Missing or invalid tag', fatal: false })), '* BAD Missing or invalid tag\r\n');
    assert.equal(wire(commandErrorResponse({ tag: null, name: null, status: 'BAD', code: 'CLIENTBUG', text: 'Flood', fatal: true })), '* BYE [CLIENTBUG] Flood\r\n');
    const parsed = parseText('A2 SEARCH CHARSET KOI8-R ALL');
    assert.ok(!parsed.ok);
    assert.equal(wire(parseErrorResponse(parsed)), 'A2 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R\r\n');
  });
});

describe('untagged data', () => {
  it('writes mailbox lists (RFC 3501 §7.2.2, RFC 5258 §4, RFC 6154)', () => {
    assert.equal(wire({ type: 'LIST', attributes: ['\\Noselect'], delimiter: '/', mailbox: '~/Mail/foo' }), '* LIST (\\Noselect) "/" ~/Mail/foo\r\n');
    assert.equal(wire({ type: 'LIST', attributes: [], delimiter: '/', mailbox: 'Fruit', childInfo: ['SUBSCRIBED'] }), '* LIST () "/" Fruit ("CHILDINFO" ("SUBSCRIBED"))\r\n');
    assert.equal(wire({ type: 'LIST', attributes: ['\\Noselect'], delimiter: null, mailbox: '' }), '* LIST (\\Noselect) NIL ""\r\n');
    assert.equal(wire({ type: 'LSUB', attributes: ['\\HasNoChildren', '\\Sent'], delimiter: '/', mailbox: 'Shared/info@contoso.com/Sent Items' }),
      '* LSUB (\\HasNoChildren \\Sent) "/" "Shared/info@contoso.com/Sent Items"\r\n');
    assert.equal(wire({ type: 'LIST', attributes: [], delimiter: '/', mailbox: 'Entw\u00fcrfe', oldName: 'Drafts' }), '* LIST () "/" Entw&APw-rfe ("OLDNAME" (Drafts))\r\n');
    assert.equal(wire({ type: 'LIST', attributes: [], delimiter: '/', mailbox: 'Entw\u00fcrfe' }, true), '* LIST () "/" "Entw\u00fcrfe"\r\n');
  });

  it('writes STATUS, NAMESPACE, quota and ACL data (RFC 3501, 2342, 9208, 4314 examples)', () => {
    assert.equal(wire({ type: 'STATUS', mailbox: 'blurdybloop', items: { MESSAGES: 231, UIDNEXT: 44292 } }), '* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n');
    assert.equal(wire({ type: 'STATUS', mailbox: 'Sent Items', items: { HIGHESTMODSEQ: 7011231777, SIZE: 0 } }), '* STATUS "Sent Items" (HIGHESTMODSEQ 7011231777 SIZE 0)\r\n');
    assert.equal(wire({ type: 'NAMESPACE', personal: [{ prefix: '', delimiter: '/' }], other: null, shared: [{ prefix: 'Shared/', delimiter: '/' }] }),
      '* NAMESPACE (("" "/")) NIL (("Shared/" "/"))\r\n');
    assert.equal(wire({ type: 'QUOTAROOT', mailbox: 'INBOX', roots: [''] }), '* QUOTAROOT INBOX ""\r\n');
    assert.equal(wire({ type: 'QUOTA', root: '', resources: [{ name: 'STORAGE', usage: 10, limit: 512 }] }), '* QUOTA "" (STORAGE 10 512)\r\n');
    assert.equal(wire({ type: 'ACL', mailbox: 'INBOX', entries: [{ identifier: 'Fred', rights: 'rwipsldexta' }] }), '* ACL INBOX Fred rwipsldexta\r\n');
    assert.equal(wire({ type: 'LISTRIGHTS', mailbox: '~/Mail/saved', identifier: 'smith', required: 'la', optional: ['r', 'swicdkxte'] }),
      '* LISTRIGHTS ~/Mail/saved smith la r swicdkxte\r\n');
    assert.equal(wire({ type: 'LISTRIGHTS', mailbox: 'archive.imap', identifier: 'anyone', required: '', optional: ['l', 'r'] }), '* LISTRIGHTS archive.imap anyone "" l r\r\n');
    assert.equal(wire({ type: 'MYRIGHTS', mailbox: 'INBOX', rights: 'rwiptsldaex' }), '* MYRIGHTS INBOX rwiptsldaex\r\n');
  });

  it('writes search results (RFC 3501, RFC 4731, RFC 7162, RFC 5256 examples)', () => {
    assert.equal(wire({ type: 'SEARCH', numbers: [2, 84, 882] }), '* SEARCH 2 84 882\r\n');
    assert.equal(wire({ type: 'SEARCH', numbers: [] }), '* SEARCH\r\n');
    assert.equal(wire({ type: 'SEARCH', numbers: [2, 5, 6, 7, 11, 12, 18, 19, 20, 23], modSeq: 917162500 }), '* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n');
    assert.equal(wire({ type: 'SEARCH', numbers: [], modSeq: 5 }), '* SEARCH\r\n');
    assert.equal(wire({ type: 'ESEARCH', tag: 'A282', uid: false, min: 2, count: 3 }), '* ESEARCH (TAG "A282") MIN 2 COUNT 3\r\n');
    assert.equal(wire({ type: 'ESEARCH', tag: 'A283', uid: true, all: [2, 10, 11] }), '* ESEARCH (TAG "A283") UID ALL 2,10:11\r\n');
    assert.equal(wire({ type: 'ESEARCH', tag: 'A284', uid: false, count: 0, all: [] }), '* ESEARCH (TAG "A284") COUNT 0\r\n');
    assert.equal(wire({ type: 'ESEARCH', tag: 'a', uid: false, all: [1, 2, 3, 5], modSeq: 1236 }), '* ESEARCH (TAG "a") ALL 1:3,5 MODSEQ 1236\r\n');
    assert.equal(wire({ type: 'SORT', numbers: [2, 84, 882] }), '* SORT 2 84 882\r\n');
    const n = (id: number | null, ...children: ThreadNode[]): ThreadNode => ({ id, children });
    assert.equal(wire({ type: 'THREAD', threads: [n(2), n(3, n(6, n(4, n(23)), n(44, n(7, n(96)))))] }), '* THREAD (2)(3 6 (4 23)(44 7 96))\r\n');
    assert.equal(wire({ type: 'THREAD', threads: [n(null, n(3), n(5))] }), '* THREAD ((3)(5))\r\n');
    assert.equal(wire({ type: 'THREAD', threads: [] }), '* THREAD\r\n');
  });

  it('writes expunges (RFC 3501 §7.4.1, RFC 7162 §3.2.10)', () => {
    assert.equal(wire({ type: 'EXPUNGE', sequence: 3 }), '* 3 EXPUNGE\r\n');
    assert.equal(wire({ type: 'VANISHED', earlier: true, uids: [41, 43, 44, 45, 118, 120, 121] }), '* VANISHED (EARLIER) 41,43:45,118,120:121\r\n');
    assert.equal(wire({ type: 'VANISHED', earlier: false, uids: [405, 407, 410, 425] }), '* VANISHED 405,407,410,425\r\n');
  });

  it('writes CAPABILITY, ENABLED and ID (RFC 5161, RFC 2971 examples)', () => {
    assert.equal(wire({ type: 'CAPABILITY', capabilities: ['IMAP4rev1', 'STARTTLS', 'AUTH=PLAIN'] }), '* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n');
    assert.equal(wire({ type: 'ENABLED', capabilities: ['CONDSTORE'] }), '* ENABLED CONDSTORE\r\n');
    assert.equal(wire({ type: 'ENABLED', capabilities: [] }), '* ENABLED\r\n');
    assert.equal(wire({ type: 'ID', parameters: [['name', 'Cyrus'], ['version', '1.5'], ['os', null]] }), '* ID ("name" "Cyrus" "version" "1.5" "os" NIL)\r\n');
    assert.equal(wire({ type: 'ID', parameters: null }), '* ID NIL\r\n');
  });
});
