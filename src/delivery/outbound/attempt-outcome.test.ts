import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySendError, retryDelayMs, statusOfReply } from './attempt-outcome.js';

const smtpError = (code: string, response: string) => Object.assign(new Error(`Failed: ${response}`), { code, response, responseCode: Number(response.slice(0, 3)) });

describe('classifySendError', () => {
  it('5xx is a permanent failure with the reply and its enhanced status (RFC 5321 §4.2.1, RFC 3463)', () => {
    const c = classifySendError(smtpError('EENVELOPE', '550 5.1.1 <x@example.net>: user unknown'), 'mx.example.net');
    assert.deepEqual(c.outcome, {
      kind: 'failed', status: '5.1.1', reply: '550 5.1.1 <x@example.net>: user unknown', host: 'mx.example.net',
      reason: "The recipient's server refused the message: 550 5.1.1 <x@example.net>: user unknown",
    });
    assert.equal(c.tryNextHost, false);
  });

  it('4xx defers; 421 also moves on to the next MX; 503 is not permanent', () => {
    const deferred = classifySendError(smtpError('EMESSAGE', '451 4.3.0 try later'), 'h');
    assert.equal(deferred.outcome.kind, 'deferred');
    assert.equal(deferred.tryNextHost, false);
    assert.equal(deferred.outcome.kind === 'deferred' && deferred.outcome.status, '4.3.0');
    const closing = classifySendError(smtpError('EPROTOCOL', '421 4.7.0 too busy'), 'h');
    assert.equal(closing.outcome.kind, 'deferred');
    assert.equal(closing.tryNextHost, true);
    assert.equal(classifySendError(smtpError('EPROTOCOL', '503 bad sequence'), 'h').outcome.kind, 'deferred');
  });

  it('a reply without an enhanced code gets the class alone; a mismatched one is ignored', () => {
    assert.equal(statusOfReply('554 no thanks', 554), '5.0.0');
    assert.equal(statusOfReply('452 too many', 452), '4.0.0');
    assert.equal(statusOfReply('550 4.2.2 confused', 550), '5.0.0');
    assert.equal(statusOfReply('550-5.7.1 multi\n550 5.7.1 line', 550), '5.7.1');
  });

  it('connection trouble defers and tries the next host; TLS trouble is marked for a plain-text retry', () => {
    const refused = classifySendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }), '127.0.0.1');
    assert.equal(refused.outcome.kind, 'deferred');
    assert.equal(refused.tryNextHost, true);
    assert.equal(refused.tlsFailed, false);
    assert.match(refused.outcome.kind === 'deferred' ? refused.outcome.reason : '', /^Couldn't deliver to 127\.0\.0\.1: connect ECONNREFUSED/);
    assert.equal(classifySendError(Object.assign(new Error('handshake'), { code: 'ETLS' }), 'h').tlsFailed, true);
    assert.deepEqual(classifySendError(Object.assign(new Error('aborted'), { code: 'EABORT' }), 'h').outcome, { kind: 'aborted' });
  });

  it('a message bigger than the server takes (RFC 1870 SIZE) fails at once', () => {
    const c = classifySendError(Object.assign(new Error('Message size larger than allowed 1000'), { code: 'EMESSAGE' }), 'h');
    assert.equal(c.outcome.kind === 'failed' && c.outcome.status, '5.3.4');
  });
});

describe('retryDelayMs', () => {
  const policy = { baseMs: 60_000, maxMs: 3_600_000 };
  it('doubles from the base and stops at the cap', () => {
    const middle = () => 0.5;
    assert.deepEqual([1, 2, 3, 4, 7, 8, 50].map((n) => retryDelayMs(n, policy, middle)), [60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000, 3_600_000]);
  });
  it('is jittered by ±25 %', () => {
    assert.equal(retryDelayMs(1, policy, () => 0), 45_000);
    assert.equal(retryDelayMs(1, policy, () => 0.999999), 75_000);
  });
});
