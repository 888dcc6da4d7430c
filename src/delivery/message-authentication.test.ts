import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { dkimSign } from 'mailauth';
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

  it('an unsigned message gets the same verdict from its header block as from the whole message', async () => {
    const resolver = stubResolver({ 'example.org': 'v=spf1 ip4:192.0.2.0/24 -all', '_dmarc.example.org': 'v=DMARC1; p=reject' });
    const long = Buffer.concat([message, Buffer.from('More body.\r\n'.repeat(1000))]);
    assert.equal((await evaluateAuthentication({ ...input, raw: long }, resolver)).headers, (await evaluateAuthentication(input, resolver)).headers);
    assert.match((await evaluateAuthentication({ ...input, raw: long }, resolver)).headers, /dkim=none/);
  });

  it('a DKIM-signed message is verified over its body: the signature passes, and fails once the body changes', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signed = async (raw: Buffer) => {
      // mailauth reads the keys from signatureData (as delivery/outbound/dkim.ts passes them).
      const signature = { signingDomain: 'example.org', selector: 's1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
      const { signatures } = await dkimSign(raw, { ...signature, signatureData: [signature] } as Parameters<typeof dkimSign>[1]);
      return Buffer.concat([Buffer.from(signatures), raw]);
    };
    const resolver = stubResolver({
      's1._domainkey.example.org': `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
      '_dmarc.example.org': 'v=DMARC1; p=reject',
    });
    const good = await signed(message);
    const verdict = await evaluateAuthentication({ ...input, raw: good }, resolver);
    assert.match(verdict.headers, /dkim=pass/);
    assert.equal(verdict.dmarc, 'pass');
    const tampered = Buffer.from(good.toString('latin1').replace('Pay now.', 'Pay later.'), 'latin1');
    const failed = await evaluateAuthentication({ ...input, raw: tampered }, resolver);
    assert.match(failed.headers, /dkim=(fail|neutral)/);
    assert.equal(failed.dmarc, 'fail');
  });

  it('records "none" when the domain publishes nothing, and never throws', async () => {
    const verdict = await evaluateAuthentication(input, stubResolver({}));
    assert.notEqual(verdict.dmarc, 'fail');
    assert.match(verdict.headers, /spf=none/);
  });
});
