// Changes to a message's header block that leave every other byte as it was.
import { parseHeaderBlock } from './headers.js';

const SP = 0x20;
const HT = 0x09;
const LF = 0x0a;
const COLON = 0x3a;

/**
 * Removes every field named in `names` (case-insensitive), continuation lines included
 * (RFC 5322 §2.2.3). Bytes outside those fields, the body and line endings included, are kept.
 */
export function removeHeaderFields(raw: Buffer, names: readonly string[]): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const { bodyStart } = parseHeaderBlock(raw, 0, raw.length, { maxFields: 0 });
  const kept: Buffer[] = [];
  let keepFrom = 0;
  let removing = false;
  let pos = 0;
  while (pos < bodyStart) {
    const nl = raw.indexOf(LF, pos);
    const next = nl < 0 || nl >= bodyStart ? bodyStart : nl + 1;
    const first = raw[pos];
    if (first !== SP && first !== HT) {
      // A new field (or a stray line, which ends the field before it).
      const colon = raw.indexOf(COLON, pos);
      const name = colon >= 0 && colon < next ? raw.toString('latin1', pos, colon).trim().toLowerCase() : '';
      const remove = wanted.has(name);
      if (remove && !removing) kept.push(raw.subarray(keepFrom, pos));
      if (!remove && removing) keepFrom = pos;
      removing = remove;
    }
    pos = next;
  }
  if (removing) keepFrom = bodyStart;
  kept.push(raw.subarray(keepFrom));
  return kept.length === 1 ? raw : Buffer.concat(kept);
}

/**
 * The fields of a header block named in `names` (or, with `exclude`, all others), continuation
 * lines included, followed by the blank line: BODY[HEADER.FIELDS (...)] and
 * BODY[HEADER.FIELDS.NOT (...)] (RFC 3501 §6.4.5). `header` is the header block itself.
 */
export function selectHeaderFields(header: Buffer, names: readonly string[], exclude: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const kept: Buffer[] = [];
  let pos = 0;
  let keeping = false;
  while (pos < header.length) {
    const nl = header.indexOf(LF, pos);
    const next = nl < 0 ? header.length : nl + 1;
    const first = header[pos];
    const line = header.subarray(pos, next);
    if (first === SP || first === HT) {
      if (keeping) kept.push(line);
    } else {
      const colon = header.indexOf(COLON, pos);
      if (colon < 0 || colon >= next) break; // the blank line (or a stray line) ends the fields
      const name = header.toString('latin1', pos, colon).trim().toLowerCase();
      keeping = wanted.has(name) !== exclude;
      if (keeping) kept.push(line);
    }
    pos = next;
  }
  kept.push(Buffer.from('\r\n'));
  return Buffer.concat(kept);
}

// RFC 5322 §3.2.3 atext, and the space between words of a phrase.
const PHRASE_ATOMS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+( [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/**
 * `Display Name <address>` as RFC 5322 §3.4 writes a mailbox: the name as atoms when it can be,
 * else as a quoted-string (§3.2.4), else (beyond ASCII) as an RFC 2047 encoded-word.
 */
export function formatMailbox(displayName: string, address: string): string {
  const name = displayName.replace(/[\r\n]+/g, ' ').trim();
  if (name === '') return `<${address}>`;
  if (PHRASE_ATOMS.test(name)) return `${name} <${address}>`;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?= <${address}>`;
}
