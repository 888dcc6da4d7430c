import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();

let lastMs = 0;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, a 12-bit counter for ids made in the
 * same millisecond (§6.2, method 1), and random bits. For rows inserted in bulk (messages,
 * delivery jobs): time-ordered keys land on the last leaf of their B-tree index, where a random
 * UUID dirties a different page per row, and every dirtied page is written to the WAL again at
 * each commit. Not for anything that must not reveal its creation time.
 */
export function newTimeOrderedId(): string {
  let now = Date.now();
  if (now <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    now = lastMs;
  } else {
    lastMs = now;
    counter = 0;
  }
  const time = now.toString(16).padStart(12, '0');
  // The random UUID supplies the variant bits and the 62 random bits (its last 17 characters).
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${randomUUID().slice(19)}`;
}
