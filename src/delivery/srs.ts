import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Sender Rewriting Scheme (SRS0), so forwarded mail still passes the original sender's SPF:
 * the envelope sender becomes SRS0=HASH=TT=domain=local@<our domain>, and a bounce to that
 * address can be routed back to the original sender after checking the hash and the age.
 */
const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const dayNumber = (now: Date): number => Math.floor(now.getTime() / 86_400_000) % 1024;
const timestamp = (now: Date): string => { const d = dayNumber(now); return base32[d >> 5]! + base32[d & 31]!; };
const hash = (secret: string, ts: string, domain: string, local: string): string =>
  createHmac('sha256', secret).update(`${ts}${domain}${local}`.toLowerCase()).digest('base64').replace(/[+/=]/g, '').slice(0, 6);

export function srsForward(secret: string, sender: string, forwarderDomain: string, now = new Date()): string {
  if (sender === '' || /^srs0=/i.test(sender)) return sender;
  const at = sender.lastIndexOf('@');
  if (at <= 0) return sender;
  const local = sender.slice(0, at);
  const domain = sender.slice(at + 1);
  const ts = timestamp(now);
  return `SRS0=${hash(secret, ts, domain, local)}=${ts}=${domain}=${local}@${forwarderDomain}`;
}

/** The original sender of an SRS0 address, or null when it is not ours, forged or older than `maxAgeDays`. */
export function srsReverse(secret: string, address: string, maxAgeDays = 21, now = new Date()): string | null {
  const match = /^SRS0=([^=]+)=([A-Z2-7]{2})=([^=]+)=(.+)@[^@]+$/i.exec(address);
  if (!match) return null;
  const [, givenHash, ts, domain, local] = match as unknown as [string, string, string, string, string];
  const expected = hash(secret, ts.toUpperCase(), domain, local);
  const a = Buffer.from(givenHash);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  const then = base32.indexOf(ts[0]!.toUpperCase()) * 32 + base32.indexOf(ts[1]!.toUpperCase());
  const age = (dayNumber(now) - then + 1024) % 1024;
  return age <= maxAgeDays ? `${local}@${domain}` : null;
}
