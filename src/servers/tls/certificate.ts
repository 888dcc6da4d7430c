import { X509Certificate, createPrivateKey, generateKeyPair as generateKeyPairCallback, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Config } from '../../config/config.js';

const generateKeyPair = promisify(generateKeyPairCallback);

/** PEM key and certificate (chain), as node:tls takes them. */
export interface TlsCredentials {
  readonly key: Buffer;
  readonly cert: Buffer;
}

export interface LoadedCertificate extends TlsCredentials {
  /** configured: from MAILROOM_TLS_CERT/KEY; generated: made now; reused: made by an earlier start. */
  readonly source: 'configured' | 'generated' | 'reused';
  /** Why an earlier self-signed certificate was replaced, when it was. */
  readonly replaced?: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly subject: string;
  readonly validTo: string;
}

export type CertificateConfig = Pick<Config, 'dataDir' | 'hostname' | 'tlsCertFile' | 'tlsKeyFile'>;

const validityDays = 825;
/** A reused certificate must stay valid at least this long, or a new one is made. */
const renewBeforeMs = 30 * 24 * 3600 * 1000;

/**
 * The certificate every TLS listener offers (SMTP STARTTLS, and IMAP later). Configured files
 * win; without them the first start makes a self-signed certificate for the configured host
 * name and localhost in <dataDir>/tls/ (key readable by the owner only), and later starts
 * reuse it while it is valid and still names the host.
 */
export async function loadOrCreateCertificate(config: CertificateConfig): Promise<LoadedCertificate> {
  if (config.tlsCertFile !== undefined || config.tlsKeyFile !== undefined) return loadConfigured(config);
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const existing = await readPair(certFile, keyFile);
  let replaced: string | undefined;
  if (existing) {
    const problem = unusableBecause(existing.cert, existing.key, config.hostname);
    if (!problem) return describe({ ...existing, source: 'reused', certFile, keyFile });
    replaced = problem;
  }
  const made = await createSelfSigned(config.hostname);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written aside then renamed, so a crash never leaves half a key; the key is created 0600.
  await writeFile(`${keyFile}.tmp`, made.key, { mode: 0o600 });
  await writeFile(`${certFile}.tmp`, made.cert, { mode: 0o644 });
  await rename(`${keyFile}.tmp`, keyFile);
  await rename(`${certFile}.tmp`, certFile);
  return describe({ ...made, source: 'generated', certFile, keyFile, ...(replaced ? { replaced } : {}) });
}

async function loadConfigured(config: CertificateConfig): Promise<LoadedCertificate> {
  const { tlsCertFile: certFile, tlsKeyFile: keyFile } = config;
  if (certFile === undefined || keyFile === undefined) {
    throw new Error('MAILROOM_TLS_CERT and MAILROOM_TLS_KEY go together: set both to use your certificate, or neither to use a generated one');
  }
  const cert = await readFile(certFile).catch((err: Error) => { throw new Error(`cannot read MAILROOM_TLS_CERT (${certFile}): ${err.message}`); });
  const key = await readFile(keyFile).catch((err: Error) => { throw new Error(`cannot read MAILROOM_TLS_KEY (${keyFile}): ${err.message}`); });
  let matches: boolean;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch (err) {
    throw new Error(`MAILROOM_TLS_CERT / MAILROOM_TLS_KEY: not a PEM certificate and private key (${(err as Error).message})`);
  }
  if (!matches) throw new Error(`the key in ${keyFile} (MAILROOM_TLS_KEY) does not belong to the certificate in ${certFile} (MAILROOM_TLS_CERT)`);
  return describe({ cert, key, source: 'configured', certFile, keyFile });
}

async function readPair(certFile: string, keyFile: string): Promise<TlsCredentials | undefined> {
  try {
    return { cert: await readFile(certFile), key: await readFile(keyFile) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Why a stored self-signed pair can't be reused, or null when it can. */
export function unusableBecause(cert: Buffer, key: Buffer, hostname: string, now = Date.now()): string | null {
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(cert);
    if (!parsed.checkPrivateKey(createPrivateKey(key))) return 'the key does not belong to the certificate';
  } catch {
    return 'the stored files are not a readable certificate and key';
  }
  if (Date.parse(parsed.validTo) - now < renewBeforeMs) return `it expires on ${parsed.validTo}`;
  const named = isIP(hostname) ? parsed.checkIP(hostname) : parsed.checkHost(hostname, { wildcards: false });
  if (named === undefined) return `it does not name ${hostname}`;
  return null;
}

/** A self-signed certificate (RSA 2048, SHA-256) for the host name and localhost. */
export async function createSelfSigned(hostname: string, now = new Date()): Promise<TlsCredentials> {
  const { publicKey, privateKey } = await generateKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets, unique per issuer (random here).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + validityDays * 24 * 3600_000);
  const name = [{ name: 'commonName', value: hostname }, { name: 'organizationName', value: 'Mailroom (self-signed)' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  // RFC 6125 §6.4.4: clients match the SAN, not the CN, so every name the server answers to is listed.
  const altNames = [
    isIP(hostname) ? { type: 7, ip: hostname } : { type: 2, value: hostname },
    ...(hostname === 'localhost' ? [] : [{ type: 2, value: 'localhost' }]),
    ...(hostname === '127.0.0.1' ? [] : [{ type: 7, ip: '127.0.0.1' }]),
    ...(hostname === '::1' ? [] : [{ type: 7, ip: '::1' }]),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: Buffer.from(privateKey), cert: Buffer.from(forge.pki.certificateToPem(cert)) };
}

function describe(loaded: Omit<LoadedCertificate, 'subject' | 'validTo'>): LoadedCertificate {
  const parsed = new X509Certificate(loaded.cert);
  return { ...loaded, subject: parsed.subject.replace(/\n/g, ', '), validTo: parsed.validTo };
}
