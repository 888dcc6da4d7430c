import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDeliveryStatusNotification } from './dsn.js';

describe('buildDeliveryStatusNotification', () => {
  const original = Buffer.from('From: alice@example.org\r\nSubject: Quarterly\r\n figures\r\nMessage-ID: <1@x>\r\n\r\nBody text that must not be copied\r\n');
  const report = buildDeliveryStatusNotification({
    hostname: 'mx.contoso.com',
    originalSender: 'alice@example.org',
    originalMessage: original,
    failures: [{ recipient: 'info@contoso.com', status: '5.2.2', reason: "The recipient's mailbox is full." }],
    arrivalDate: new Date('2026-11-24T10:00:00Z'),
  }).toString('utf8');

  it('is an RFC 3464 multipart/report with a delivery-status block per recipient', () => {
    assert.match(report, /^Content-Type: multipart\/report; report-type=delivery-status; boundary="=_mailroom_report_[0-9a-f]+"$/m);
    assert.match(report, /^Reporting-MTA: dns; mx\.contoso\.com$/m);
    assert.match(report, /^Final-Recipient: rfc822; info@contoso\.com\r\nAction: failed\r\nStatus: 5\.2\.2$/m);
    assert.match(report, /^Content-Type: text\/rfc822-headers$/m);
  });

  it('names the original subject, returns headers only, and marks itself automatic', () => {
    assert.match(report, /^Subject: Undeliverable: Quarterly figures$/m);
    assert.match(report, /^Auto-Submitted: auto-replied$/m);
    assert.ok(report.includes('Message-ID: <1@x>'));
    assert.ok(!report.includes('Body text that must not be copied'));
  });

  it('uses CRLF line endings throughout', () => {
    assert.equal(report.replace(/\r\n/g, '').includes('\n'), false);
  });
});
