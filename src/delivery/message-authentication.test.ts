import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateAuthentication } from './message-authentication.js';

/** A DNS stand-in: TXT records by name; anything else does not exist. */
function stubResolver(txt: Record<string, string>) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const record = txt[name.toLowerCase()];
    if (rrtype === 'TXT' && record) return [[record]];
    throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
}

const message = Buffer.from('From: ceo@example.org\r\nTo: info@contoso.com\r\nSubject: Wire transfer\r\nMessage-ID: <1@example.org>\r\n\r\nPay now.\r\n');
const input = { raw: message, ip: '192.0.2.1', helo: 'mail.attacker.test', mailFrom: 'ceo@example.org', hostname: 'mx.contoso.com' };

describe('evaluateAuthentication (SPF, DKIM, DMARC with mailauth)', () => {
  it('reports a DMARC failure and the sender domain\'s reject policy (RFC 7489 §6.6)', async () => {
    const verdict = await evaluateAuthentication(input, stubResolver({
      'example.org': 'v=spf1 ip4:198.51.100.0/24 -all',
      '_dmarc.example.org': 'v=DMARC1; p=reject',
    }));
    assert.equal(verdict.dmarc, 'fail');
    assert.equal(verdict.dmarcPolicy, 'reject');
    assert.match(verdict.headers, /^Authentication-Results: mx\.contoso\.com;/m);
    assert.match(verdict.headers, /spf=fail/);
    assert.match(verdict.headers, /dmarc=fail/);
    assert.ok(verdict.headers.endsWith('\r\n'));
  });

  it('passes when the sender domain authorizes the client (SPF aligned with From)', async () => {
    const verdict = await evaluateAuthentication(input, stubResolver({
      'example.org': 'v=spf1 ip4:192.0.2.0/24 -all',
      '_dmarc.example.org': 'v=DMARC1; p=reject',
    }));
    assert.equal(verdict.dmarc, 'pass');
    assert.match(verdict.headers, /spf=pass/);
  });

  it('records "none" when the domain publishes nothing, and never throws', async () => {
    const verdict = await evaluateAuthentication(input, stubResolver({}));
    assert.notEqual(verdict.dmarc, 'fail');
    assert.match(verdict.headers, /spf=none/);
  });
});
