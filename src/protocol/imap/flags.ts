// Message flags (RFC 3501 §2.3.2, §9 flag, flag-keyword) and mailbox attributes.

/** The system flags a client may set, in their canonical spelling. */
export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;

const SYSTEM_BY_UPPER = new Map<string, string>(SYSTEM_FLAGS.map((f) => [f.toUpperCase(), f]));

// atom-char: any CHAR except atom-specials ( ) { SP CTL % * " \ ]
const ATOM = /^[^(){ \x00-\x1f\x7f-\uffff%*"\\\]]+$/;

/** Whether `text` is an RFC 3501 atom (the strict grammar, not the reader's lenient one). */
export function isAtom(text: string): boolean {
  return ATOM.test(text);
}

/**
 * A flag as a client may store or append it: a system flag in canonical case, or a keyword (an
 * atom) as written. Null for anything else, including \Recent, which only the server sets
 * (RFC 3501 §2.3.2), and unknown \-extensions.
 */
export function normalizeStoreFlag(text: string): string | null {
  if (text.startsWith('\\')) return SYSTEM_BY_UPPER.get(text.toUpperCase()) ?? null;
  return isAtom(text) ? text : null;
}

/** RFC 6154 §2 SPECIAL-USE attributes (plus \Important, RFC 8457), canonical spelling. */
export const SPECIAL_USE_ATTRIBUTES = ['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash', '\\Important'] as const;

const SPECIAL_USE_BY_UPPER = new Map<string, string>(SPECIAL_USE_ATTRIBUTES.map((a) => [a.toUpperCase(), a]));

/** A special-use attribute in canonical case, or null when it is not one. */
export function normalizeSpecialUse(text: string): string | null {
  return SPECIAL_USE_BY_UPPER.get(text.toUpperCase()) ?? null;
}
