// RFC 5322 §3.4 address lists, read into IMAP envelope addresses (RFC 3501 §7.4.2), tolerating garbage.
import type { EnvelopeAddress } from './types.js';

// Dovecot's placeholders, so a broken address never looks like a group marker (host NIL).
export const MISSING_MAILBOX = 'MISSING_MAILBOX';
export const MISSING_DOMAIN = 'MISSING_DOMAIN';

/** Characters of an address header read; far beyond any real list, it bounds the token count. */
export const MAX_ADDRESS_HEADER_CHARS = 1_048_576;

type Token =
  | { kind: 'word'; text: string; raw: string } // atom (dots included) or quoted-string
  | { kind: 'literal'; text: string } // domain-literal, brackets kept
  | { kind: 'comment'; text: string }
  | { kind: 'special'; text: '<' | '>' | ',' | ';' | ':' | '@' };

// Character classes by code unit: 1 = whitespace, 2 = special, 3 = ends an atom for another reason.
const CLASS = new Uint8Array(128);
for (const c of ' \t\r\n') CLASS[c.charCodeAt(0)] = 1;
for (const c of '<>,;:@') CLASS[c.charCodeAt(0)] = 2;
for (const c of '"()[') CLASS[c.charCodeAt(0)] = 3;
const charClass = (code: number): number => (code < 128 ? CLASS[code]! : 0);

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const cls = charClass(s.charCodeAt(i));
    if (cls === 1) {
      i++;
    } else if (cls === 2) {
      tokens.push({ kind: 'special', text: c as '<' });
      i++;
    } else if (c === '"') {
      const parts: string[] = [];
      let from = i + 1;
      let j = from;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\') {
          parts.push(s.slice(from, j));
          from = ++j;
        }
      }
      parts.push(s.slice(from, Math.min(j, s.length)));
      const end = Math.min(j + 1, s.length);
      tokens.push({ kind: 'word', text: parts.join(''), raw: s.slice(i, end) });
      i = end;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < s.length; j++) {
        if (s[j] === '\\') j++;
        else if (s[j] === '(') depth++;
        else if (s[j] === ')' && --depth === 0) break;
      }
      tokens.push({ kind: 'comment', text: s.slice(i + 1, Math.min(j, s.length)) });
      i = j + 1;
    } else if (c === '[') {
      let j = s.indexOf(']', i);
      j = j < 0 ? s.length : j + 1;
      tokens.push({ kind: 'literal', text: s.slice(i, j) });
      i = j;
    } else {
      let j = i + 1;
      while (j < s.length && charClass(s.charCodeAt(j)) === 0) j++;
      const text = s.slice(i, j);
      tokens.push({ kind: 'word', text, raw: text });
      i = j;
    }
  }
  return tokens;
}

/** A display name: words joined by one space, quoted strings unquoted (raw RFC 2047 words stay). */
function phrase(tokens: readonly Token[]): string | null {
  const words: string[] = [];
  for (const t of tokens) if (t.kind !== 'comment') words.push(t.text);
  return words.length === 0 ? null : words.join(' ');
}

/** Local part or domain: tokens joined as written (a quoted local part keeps its quotes). */
function joinRaw(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) if (t.kind !== 'comment') out += t.kind === 'word' ? t.raw : t.text;
  return out;
}

function addrSpec(tokens: readonly Token[], name: string | null, adl: string | null): EnvelopeAddress {
  let at = -1;
  for (let k = tokens.length - 1; k >= 0; k--) {
    if (tokens[k]!.kind === 'special' && tokens[k]!.text === '@') {
      at = k;
      break;
    }
  }
  if (at < 0) {
    const mailbox = phrase(tokens);
    return { name, adl, mailbox: mailbox ?? MISSING_MAILBOX, host: MISSING_DOMAIN };
  }
  const mailbox = joinRaw(tokens.slice(0, at));
  const host = joinRaw(tokens.slice(at + 1));
  return { name, adl, mailbox: mailbox || MISSING_MAILBOX, host: host || MISSING_DOMAIN };
}

interface Pending {
  tokens: Token[];
  angle: Token[] | null;
  comment: string | null;
  sawSpecial: boolean;
}

const emptyPending = (): Pending => ({ tokens: [], angle: null, comment: null, sawSpecial: false });

function toAddress(p: Pending): EnvelopeAddress | null {
  if (p.angle !== null) {
    let name = phrase(p.tokens) ?? p.comment;
    if (name === '') name = null;
    // RFC 5322 §4.4 obs-route: <@a,@b:user@host>; the route goes to adl.
    let colon = -1;
    if (p.angle[0]?.text === '@') colon = p.angle.findIndex((t) => t.kind === 'special' && t.text === ':');
    const adl = colon > 0 ? p.angle.slice(0, colon).map((t) => t.text).join('') : null;
    return addrSpec(colon > 0 ? p.angle.slice(colon + 1) : p.angle, name, adl);
  }
  if (!p.tokens.some((t) => t.kind !== 'comment')) return null;
  // RFC 822 style `user@host (Full Name)`: the comment is the only name there is.
  return addrSpec(p.tokens, p.comment, null);
}

/**
 * Parses an address-list header value into envelope addresses. Groups (`name: a, b;`) become a
 * start marker (mailbox = group name, host null), the members, and an end marker (all null).
 * Never throws; an empty result means NIL.
 */
export function parseAddressList(value: string): EnvelopeAddress[] {
  const out: EnvelopeAddress[] = [];
  let inGroup = false;
  let pending = emptyPending();
  const flush = (): void => {
    const address = toAddress(pending);
    if (address) out.push(address);
    pending = emptyPending();
  };
  const groupEnd = { name: null, adl: null, mailbox: null, host: null };
  let inAngle = false;
  for (const t of tokenize(value.length > MAX_ADDRESS_HEADER_CHARS ? value.slice(0, MAX_ADDRESS_HEADER_CHARS) : value)) {
    if (t.kind === 'comment') {
      pending.comment ??= t.text;
      continue;
    }
    if (inAngle) {
      if (t.kind === 'special' && t.text === '>') inAngle = false;
      else pending.angle!.push(t);
      continue;
    }
    if (t.kind !== 'special') {
      pending.tokens.push(t);
      continue;
    }
    switch (t.text) {
      case '<':
        inAngle = true;
        pending.angle = [];
        break;
      case '>':
        break;
      case ',':
        flush();
        break;
      case ';':
        flush();
        if (inGroup) out.push({ ...groupEnd });
        inGroup = false;
        break;
      case ':':
        if (!inGroup && pending.angle === null && !pending.sawSpecial) {
          out.push({ name: null, adl: null, mailbox: phrase(pending.tokens) ?? '', host: null });
          pending = emptyPending();
          inGroup = true;
        } else {
          pending.tokens.push(t);
          pending.sawSpecial = true;
        }
        break;
      case '@':
        pending.tokens.push(t);
        pending.sawSpecial = true;
        break;
    }
  }
  flush();
  if (inGroup) out.push({ ...groupEnd });
  return out;
}
