import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSelfSigned, loadOrCreateCertificate, unusableBecause } from './certificate.js';

describe('TLS certificate', () => {
  let root: string;
  let counter = 0;
  const freshDir = () => join(root, `data-${++counter}`);
  const config = (dataDir: string, hostname = 'mail.contoso.com') => ({ dataDir, hostname, tlsCertFile: undefined, tlsKeyFile: undefined });

  before(() => { root = mkdtempSync(join(tmpdir(), 'mailroom-tls-')); });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a self-signed certificate names the host and localhost, is valid now, and matches its key', async () => {
    const made = await createSelfSigned('mail.contoso.com');
    const cert = new X509Certificate(made.cert);
    assert.equal(cert.subject, 'CN=mail.contoso.com\nO=Mailroom (self-signed)');
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.subjectAltName, 'DNS:mail.contoso.com, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.ok(cert.checkPrivateKey(createPrivateKey(made.key)));
    assert.ok(Date.parse(cert.validFrom) <= Date.now() && Date.parse(cert.validTo) > Date.now() + 365 * 24 * 3600_000);
    assert.equal(cert.ca, false);
    assert.match(cert.serialNumber, /^[0-7][0-9A-F]{31}$/i, 'a positive 128-bit serial');
  });

  test('first start generates into <dataDir>/tls with the key at 0600; the next start reuses it', async () => {
    const dataDir = freshDir();
    const first = await loadOrCreateCertificate(config(dataDir));
    assert.equal(first.source, 'generated');
    assert.equal(first.certFile, join(dataDir, 'tls', 'cert.pem'));
    assert.equal(statSync(first.keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(dataDir, 'tls')).mode & 0o777, 0o700);
    assert.ok(readFileSync(first.certFile).equals(first.cert));
    const second = await loadOrCreateCertificate(config(dataDir));
    assert.equal(second.source, 'reused');
    assert.ok(second.cert.equals(first.cert) && second.key.equals(first.key));
  });

  test('a stored certificate for another host name, or a broken pair, is replaced', async () => {
    const dataDir = freshDir();
    const first = await loadOrCreateCertificate(config(dataDir));
    const renamed = await loadOrCreateCertificate(config(dataDir, 'mx.fabrikam.com'));
    assert.equal(renamed.source, 'generated');
    assert.equal(renamed.replaced, 'it does not name mx.fabrikam.com');
    assert.ok(!renamed.cert.equals(first.cert));
    writeFileSync(join(dataDir, 'tls', 'key.pem'), first.key);
    const repaired = await loadOrCreateCertificate(config(dataDir, 'mx.fabrikam.com'));
    assert.deepEqual([repaired.source, repaired.replaced], ['generated', 'the key does not belong to the certificate']);
  });

  test('reuse stops a month before expiry', async () => {
    const made = await createSelfSigned('mail.contoso.com');
    const validTo = Date.parse(new X509Certificate(made.cert).validTo);
    assert.equal(unusableBecause(made.cert, made.key, 'mail.contoso.com', validTo - 40 * 24 * 3600_000), null);
    assert.match(unusableBecause(made.cert, made.key, 'mail.contoso.com', validTo - 10 * 24 * 3600_000) ?? '', /^it expires on /);
    assert.equal(unusableBecause(Buffer.from('garbage'), made.key, 'mail.contoso.com'), 'the stored files are not a readable certificate and key');
  });

  test('configured files are used as they are; a missing half or a foreign key stops the start with a clear error', async () => {
    const dir = freshDir();
    const a = await loadOrCreateCertificate(config(dir, 'smtp.contoso.com'));
    const b = await createSelfSigned('other.contoso.com');
    const foreignKey = join(root, 'foreign-key.pem');
    writeFileSync(foreignKey, b.key);
    const configured = await loadOrCreateCertificate({ dataDir: freshDir(), hostname: 'ignored', tlsCertFile: a.certFile, tlsKeyFile: a.keyFile });
    assert.equal(configured.source, 'configured');
    assert.ok(configured.cert.equals(a.cert));
    await assert.rejects(loadOrCreateCertificate({ dataDir: dir, hostname: 'x', tlsCertFile: a.certFile, tlsKeyFile: undefined }),
      { message: 'MAILROOM_TLS_CERT and MAILROOM_TLS_KEY go together: set both to use your certificate, or neither to use a generated one' });
    await assert.rejects(loadOrCreateCertificate({ dataDir: dir, hostname: 'x', tlsCertFile: a.certFile, tlsKeyFile: foreignKey }),
      { message: `the key in ${foreignKey} (MAILROOM_TLS_KEY) does not belong to the certificate in ${a.certFile} (MAILROOM_TLS_CERT)` });
    await assert.rejects(loadOrCreateCertificate({ dataDir: dir, hostname: 'x', tlsCertFile: join(root, 'missing.pem'), tlsKeyFile: foreignKey }),
      /^Error: cannot read MAILROOM_TLS_CERT/);
  });
});
