// FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8) with BINARY (RFC 3516 §4.2), MODSEQ and the
// CHANGEDSINCE / VANISHED modifiers (RFC 7162 §3.1.4, §3.2.6).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import { parseBinarySection, parseBodySection } from '../body-section.js';
import type { BodySection } from '../body-section.js';
import type { SequenceSet } from '../sequence-set.js';
import type { AtomToken, PartialRange, Token } from '../tokens.js';

export const SIMPLE_FETCH_ITEMS = [
  'UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'MODSEQ',
  'RFC822', 'RFC822.HEADER', 'RFC822.TEXT',
] as const;

export type SimpleFetchItemName = (typeof SIMPLE_FETCH_ITEMS)[number];

/** A requested byte range: `<start.length>`. */
export interface FetchPartial {
  readonly start: number;
  readonly length: number;
}

export type FetchItem =
  | { readonly type: SimpleFetchItemName }
  /** BODY[section]<partial>; peek: BODY.PEEK, which does not set \Seen. */
  | { readonly type: 'BODY[]'; readonly peek: boolean; readonly section: BodySection; readonly partial: FetchPartial | null }
  /** BINARY[part]<partial>: the part with its transfer encoding removed. */
  | { readonly type: 'BINARY[]'; readonly peek: boolean; readonly part: readonly number[]; readonly partial: FetchPartial | null }
  | { readonly type: 'BINARY.SIZE'; readonly part: readonly number[] };

export interface FetchCommand {
  readonly name: 'FETCH';
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  /**
   * Macros expanded (RFC 3501 §6.4.5: ALL, FAST, FULL); UID added for UID FETCH (§6.4.8) and
   * MODSEQ with CHANGEDSINCE (RFC 7162 §3.1.4.1); no repeats.
   */
  readonly items: readonly FetchItem[];
  readonly changedSince: number | null;
  /** RFC 7162 §3.2.6: also report expunged UIDs with VANISHED (EARLIER). */
  readonly vanished: boolean;
}

const MACROS: Record<string, readonly SimpleFetchItemName[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

function requestedPartial(partial: PartialRange | undefined): FetchPartial | null {
  if (partial === undefined) return null;
  // RFC 3501 §9: "<" number "." nz-number ">"
  if (partial.length === null || partial.length === 0) throw new BadCommand('A partial range is <offset.length> with a non-zero length');
  return { start: partial.start, length: partial.length };
}

function sectionItem(token: AtomToken & { section: readonly Token[] }): FetchItem {
  const name = token.value.toUpperCase();
  if (name === 'BODY' || name === 'BODY.PEEK') {
    return { type: 'BODY[]', peek: name === 'BODY.PEEK', section: parseBodySection(token.section), partial: requestedPartial(token.partial) };
  }
  const part = parseBinarySection(token.section);
  if (name === 'BINARY.SIZE') {
    if (token.partial !== undefined) throw new BadCommand('BINARY.SIZE takes no partial range');
    return { type: 'BINARY.SIZE', part };
  }
  return { type: 'BINARY[]', peek: name === 'BINARY.PEEK', part, partial: requestedPartial(token.partial) };
}

/** One fetch-att (RFC 3501 §9). */
export function parseFetchItem(token: Token): FetchItem {
  if (token.type !== 'atom') throw new BadCommand('Invalid FETCH item');
  if (token.section !== undefined) return sectionItem(token as AtomToken & { section: readonly Token[] });
  const name = token.value.toUpperCase();
  if ((SIMPLE_FETCH_ITEMS as readonly string[]).includes(name)) return { type: name as SimpleFetchItemName };
  throw new BadCommand(`Unknown FETCH item ${token.value.slice(0, 40)}`);
}

function itemKey(item: FetchItem): string {
  return JSON.stringify(item);
}

function addItem(items: FetchItem[], seen: Set<string>, item: FetchItem): void {
  const key = itemKey(item);
  if (seen.has(key)) return;
  seen.add(key);
  items.push(item);
}

export function parseFetch(args: readonly Token[], context: CommandContext): FetchCommand {
  const cursor = new ArgumentCursor(args, context);
  const sequence = cursor.sequenceSet(context.uid ? 'UID set' : 'sequence set');
  const items: FetchItem[] = [];
  const seen = new Set<string>();
  const list = cursor.optionalList();
  if (list !== null) {
    if (list.remaining === 0) throw new BadCommand('Empty FETCH item list');
    while (list.remaining > 0) addItem(items, seen, parseFetchItem(list.next('FETCH item')));
  } else {
    const token = cursor.next('FETCH items');
    const macro = token.type === 'atom' && token.section === undefined ? MACROS[token.value.toUpperCase()] : undefined;
    if (macro !== undefined) for (const type of macro) addItem(items, seen, { type });
    else addItem(items, seen, parseFetchItem(token));
  }
  let changedSince: number | null = null;
  let vanished = false;
  const modifiers = cursor.optionalList();
  cursor.end();
  if (modifiers !== null) {
    while (modifiers.remaining > 0) {
      const modifier = modifiers.keyword('FETCH modifier');
      if (modifier === 'CHANGEDSINCE' && changedSince === null) changedSince = modifiers.modSequence('CHANGEDSINCE mod-sequence');
      else if (modifier === 'VANISHED' && !vanished) vanished = true;
      else throw new BadCommand(`Unknown or repeated FETCH modifier ${modifier}`);
    }
  }
  // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only with CHANGEDSINCE.
  if (vanished && !context.uid) throw new BadCommand('VANISHED is only allowed in UID FETCH');
  if (vanished && changedSince === null) throw new BadCommand('VANISHED requires CHANGEDSINCE');
  if (context.uid && !seen.has(itemKey({ type: 'UID' }))) items.unshift({ type: 'UID' });
  if (changedSince !== null) addItem(items, seen, { type: 'MODSEQ' });
  return { name: 'FETCH', uid: context.uid, sequence, items, changedSince, vanished };
}
