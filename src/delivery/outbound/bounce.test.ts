import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { srsForward } from '../srs.js';
import { deliveryFailureReport, expiryFailure, lifetimeText, reportRecipient } from './bounce.js';
import type { QueueRow } from './queue-store.js';

const secret = 'test-secret';
const row = (mailFrom: string): QueueRow => ({
  id: 'q1', blob_hash: 'h', mail_from: mailFrom, recipient: 'x@example.net', attempts: 3,
  next_attempt_at: '2026-11-24T12:00:00.000Z', expires_at: '2026-11-26T10:00:00.000Z', last_error: null, created_at: '2026-11-24T10:00:00.000Z', locked_until: null,
});
const original = Buffer.from('From: alice@contoso.com\r\nTo: bob@contoso.com\r\nSubject: Plans\r\n\r\nSecret body\r\n');

describe('delivery failure reports for the outbound queue', () => {
  it('go to the envelope sender, to the original sender behind our SRS address, and never to the null sender', () => {
    assert.equal(reportRecipient('alice@contoso.com', secret), 'alice@contoso.com');
    assert.equal(reportRecipient(srsForward(secret, 'carol@fabrikam.example', 'contoso.com'), secret), 'carol@fabrikam.example');
    const forged = srsForward('another-secret', 'carol@fabrikam.example', 'contoso.com');
    assert.equal(reportRecipient(forged, secret), forged);
    assert.equal(reportRecipient('', secret), null);
    assert.equal(deliveryFailureReport({ row: row(''), raw: original, failure: { status: '5.0.0', reason: 'no' }, hostname: 'mx.contoso.com', srsSecret: secret, now: new Date() }), null);
  });

  it('are RFC 3464 reports with the remote reply as Diagnostic-Code, sent as null-sender system jobs', () => {
    const report = deliveryFailureReport({
      row: row(srsForward(secret, 'alice@contoso.com', 'contoso.com')),
      raw: original,
      failure: { status: '5.1.1', reason: "The recipient's server refused the message: 550 5.1.1 user unknown", reply: '550 5.1.1 user unknown', host: 'mx.example.net' },
      hostname: 'mx.contoso.com',
      srsSecret: secret,
      now: new Date('2026-11-24T11:00:00Z'),
    });
    assert.ok(report);
    assert.deepEqual([report.mailFrom, report.recipients, report.source], ['', ['alice@contoso.com'], 'system']);
    const text = report.raw.toString('utf8');
    assert.match(text, /^To: <alice@contoso\.com>$/m);
    assert.match(text, /^Subject: Undeliverable: Plans$/m);
    assert.match(text, /^Final-Recipient: rfc822; x@example\.net\r\nAction: failed\r\nStatus: 5\.1\.1\r\nRemote-MTA: dns; mx\.example\.net\r\nDiagnostic-Code: smtp; 550 5\.1\.1 user unknown\r\nLast-Attempt-Date: Tue, 24 Nov 2026 11:00:00 \+0000$/m);
    assert.match(text, /^Arrival-Date: Tue, 24 Nov 2026 10:00:00 \+0000$/m);
    assert.ok(!text.includes('Secret body'), 'only the headers of the original come back');
  });

  it('on expiry say how long we tried (RFC 3463 4.4.7) and keep the last reply', () => {
    const failure = expiryFailure(row('alice@contoso.com'), { status: '4.3.0', reason: 'asked to try later', reply: '451 4.3.0 later', host: 'mx.example.net' });
    assert.deepEqual(failure, {
      status: '4.4.7',
      reason: "We kept trying for 2 days, but the recipient's server didn't accept the message. Last error: asked to try later",
      reply: '451 4.3.0 later',
      host: 'mx.example.net',
    });
    assert.deepEqual([lifetimeText(172_800_000), lifetimeText(3_600_000), lifetimeText(2000), lifetimeText(1500)], ['2 days', '1 hour', '2 seconds', '2 seconds']);
  });
});
