import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dkimVerify } from 'mailauth';
import { dkimSigner, fromDomain, loadDkimKey } from './dkim.js';

const dir = mkdtempSync(join(tmpdir(), 'mailroom-dkim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeKey(name: string, privateKey: KeyObject): string {
  const path = join(dir, name);
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return path;
}

/** The TXT record a domain publishes for a key (RFC 6376 §3.6.1; RFC 8463 §4 for Ed25519's raw key). */
function dnsRecord(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return publicKey.asymmetricKeyType === 'ed25519'
    ? `v=DKIM1; k=ed25519; p=${der.subarray(der.length - 32).toString('base64')}`
    : `v=DKIM1; k=rsa; p=${der.toString('base64')}`;
}

/** A resolver that knows one selector's key and nothing else. */
const resolverFor = (name: string, record: string) => async (query: string, type: string) => {
  if (type === 'TXT' && query.toLowerCase() === name) return [[record]];
  throw Object.assign(new Error(`no ${type} for ${query}`), { code: 'ENOTFOUND' });
};

const message = Buffer.from([
  'Received: from client.test ([127.0.0.1])\r\n\tby mx.contoso.com (Mailroom) with ESMTP id 0123456789abcdef;\r\n\tMon, 24 Nov 2025 10:00:01 +0000',
  'From: "Alice" <alice@Contoso.com>', 'To: x@example.net', 'Subject: Figures', 'Date: Mon, 24 Nov 2025 10:00:00 +0000', 'Message-ID: <1@contoso.com>',
  '', 'Body line one.', 'Body line two.', '',
].join('\r\n'));
const ours = async (domain: string) => domain === 'contoso.com';

describe('DKIM signing (RFC 6376)', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('signs with the From domain when it is ours, and the signature verifies against the published key', async () => {
    const key = await loadDkimKey('mail', writeKey('rsa.pem', rsa.privateKey));
    assert.equal(key.algorithm, 'rsa-sha256');
    const signed = await dkimSigner(key, ours)(message);
    const header = signed.subarray(0, signed.length - message.length).toString('latin1');
    assert.match(header, /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=contoso\.com;/);
    assert.match(header, /[ ;]s=mail;/);
    assert.match(header, /\r\n$/);
    assert.ok(signed.subarray(signed.length - message.length).equals(message), 'the message follows the signature unchanged');
    const result = await dkimVerify(signed, { resolver: resolverFor('mail._domainkey.contoso.com', dnsRecord(rsa.publicKey)) });
    assert.equal(result.results.length, 1);
    assert.equal(result.results[0]?.status.result, 'pass', JSON.stringify(result.results[0]?.status));
    assert.equal(result.results[0]?.signingDomain, 'contoso.com');
  });

  it('a tampered body fails verification', async () => {
    const signed = await dkimSigner(await loadDkimKey('mail', writeKey('rsa2.pem', rsa.privateKey)), ours)(message);
    const tampered = Buffer.from(signed.toString('latin1').replace('Body line two.', 'Body line 2.'), 'latin1');
    const result = await dkimVerify(tampered, { resolver: resolverFor('mail._domainkey.contoso.com', dnsRecord(rsa.publicKey)) });
    // The body hash no longer matches (RFC 6376 §3.7); mailauth reports it as "neutral", never "pass".
    assert.match(result.results[0]?.status.result ?? '', /^(fail|neutral)$/);
    assert.match(result.results[0]?.status.comment ?? '', /body hash did not verify/);
  });

  it('leaves mail from other domains unsigned, unless a signing domain is configured', async () => {
    const foreign = Buffer.from(message.toString('latin1').replace('alice@Contoso.com', 'someone@fabrikam.example'), 'latin1');
    const path = writeKey('rsa3.pem', rsa.privateKey);
    assert.equal(await dkimSigner(await loadDkimKey('mail', path), ours)(foreign), foreign);
    const signed = await dkimSigner(await loadDkimKey('relay', path, 'contoso.com'), ours)(foreign);
    const result = await dkimVerify(signed, { resolver: resolverFor('relay._domainkey.contoso.com', dnsRecord(rsa.publicKey)) });
    assert.equal(result.results[0]?.status.result, 'pass');
  });

  it('signs with an Ed25519 key (RFC 8463)', async () => {
    const ed = generateKeyPairSync('ed25519');
    const key = await loadDkimKey('ed', writeKey('ed.pem', ed.privateKey));
    assert.equal(key.algorithm, 'ed25519-sha256');
    const signed = await dkimSigner(key, ours)(message);
    const result = await dkimVerify(signed, { resolver: resolverFor('ed._domainkey.contoso.com', dnsRecord(ed.publicKey)) });
    assert.equal(result.results[0]?.status.result, 'pass', JSON.stringify(result.results[0]?.status));
  });

  it('refuses a file that is not a usable private key at startup', async () => {
    const path = join(dir, 'junk.pem');
    writeFileSync(path, 'not a key');
    await assert.rejects(loadDkimKey('mail', path), /MAILROOM_DKIM_KEY \(.*junk\.pem\) is not a PEM private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await assert.rejects(loadDkimKey('mail', writeKey('ec.pem', ec.privateKey)), /must be an RSA or Ed25519 key, not ec/);
  });

  it('reads the From domain from the header block only', () => {
    assert.equal(fromDomain(message), 'contoso.com');
    assert.equal(fromDomain(Buffer.from('Subject: x\r\n\r\nFrom: a@b.c\r\n')), null);
  });
});
