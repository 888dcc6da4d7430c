import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dkimSign } from 'mailauth';
import { getHeader, parseAddressList, parseHeaderBlock } from '../../protocol/mime/headers.js';

/** A signing key as configured (MAILROOM_DKIM_SELECTOR, MAILROOM_DKIM_KEY, MAILROOM_DKIM_DOMAIN). */
export interface DkimKey {
  readonly selector: string;
  readonly privateKey: string;
  readonly algorithm: 'rsa-sha256' | 'ed25519-sha256';
  /** Fixed d= domain; without it, the From header's domain when it is one of ours. */
  readonly domain?: string | undefined;
}

/** Returns the bytes to send: the message with a DKIM-Signature prepended, or unchanged. */
export type MessageSigner = (raw: Buffer) => Promise<Buffer>;

/** Reads and checks the key at startup, so a bad key stops the server instead of every message. */
export async function loadDkimKey(selector: string, keyFile: string, domain?: string): Promise<DkimKey> {
  const pem = await readFile(keyFile, 'utf8');
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch (err) {
    throw new Error(`MAILROOM_DKIM_KEY (${keyFile}) is not a PEM private key: ${err instanceof Error ? err.message : String(err)}`);
  }
  // RFC 6376 §3.3 (rsa-sha256) and RFC 8463 (ed25519-sha256) are the algorithms verifiers know.
  if (type !== 'rsa' && type !== 'ed25519') throw new Error(`MAILROOM_DKIM_KEY (${keyFile}) must be an RSA or Ed25519 key, not ${type ?? 'unknown'}`);
  return { selector, privateKey: pem, algorithm: type === 'rsa' ? 'rsa-sha256' : 'ed25519-sha256', domain };
}

/** The domain of the first address of the From header (RFC 5322 §3.6.2), lower-cased. */
export function fromDomain(raw: Buffer): string | null {
  const { fields } = parseHeaderBlock(raw, 0, raw.length, { only: new Set(['from']) });
  const from = getHeader(fields, 'from');
  if (!from) return null;
  const first = parseAddressList(from).find((a) => a.host);
  return first?.host ? first.host.toLowerCase() : null;
}

/**
 * DKIM signing (RFC 6376) with relaxed/relaxed canonicalization (§3.4), which survives the
 * whitespace changes relays make. The signature covers the bytes exactly as they are sent,
 * trace headers included; mail whose From is not ours is signed only with a fixed domain.
 */
export function dkimSigner(key: DkimKey, isOurDomain: (domain: string) => Promise<boolean>): MessageSigner {
  return async (raw) => {
    let signingDomain = key.domain;
    if (!signingDomain) {
      const domain = fromDomain(raw);
      if (domain && await isOurDomain(domain)) signingDomain = domain;
    }
    if (!signingDomain) return raw;
    const signature = { signingDomain, selector: key.selector, privateKey: key.privateKey, algorithm: key.algorithm, canonicalization: 'relaxed/relaxed' };
    // mailauth 4.13 signs only what is listed in signatureData; its typings ask for the fields at the top level too.
    const result = await dkimSign(raw, { ...signature, signatureData: [signature] });
    const failure = result.errors?.[0];
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
    return Buffer.concat([Buffer.from(result.signatures, 'utf8'), raw]);
  };
}
