// LIST (RFC 3501 §6.3.8) with LIST-EXTENDED selection and return options (RFC 5258 §3),
// SPECIAL-USE (RFC 6154 §3) and LIST-STATUS (RFC 5819 §2); LSUB (RFC 3501 §6.3.9).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';
import { parseStatusItems } from './status.js';
import type { StatusItem } from './status.js';

export interface ListSelection {
  readonly subscribed: boolean;
  readonly remote: boolean;
  readonly recursiveMatch: boolean;
  readonly specialUse: boolean;
}

export interface ListReturn {
  readonly subscribed: boolean;
  readonly children: boolean;
  readonly specialUse: boolean;
  /** RFC 5819: STATUS items to send for each listed mailbox; null when not asked. */
  readonly status: readonly StatusItem[] | null;
}

export interface ListCommand {
  readonly name: 'LIST';
  readonly reference: string;
  /** One or more patterns, with % and * wildcards (decoded like mailbox names). */
  readonly patterns: readonly string[];
  readonly selection: ListSelection;
  readonly returnOptions: ListReturn;
  /** The LIST-EXTENDED form was used (RFC 5258 §3: selection options, several patterns or RETURN). */
  readonly extended: boolean;
}

export interface LsubCommand {
  readonly name: 'LSUB';
  readonly reference: string;
  readonly pattern: string;
}

function parseSelection(list: ArgumentCursor): ListSelection {
  const s = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  while (list.remaining > 0) {
    const option = list.keyword('selection option');
    if (option === 'SUBSCRIBED') s.subscribed = true;
    else if (option === 'REMOTE') s.remote = true;
    else if (option === 'RECURSIVEMATCH') s.recursiveMatch = true;
    else if (option === 'SPECIAL-USE') s.specialUse = true;
    // RFC 5258 §3: an unrecognized selection option is a BAD command.
    else throw new BadCommand(`Unknown LIST selection option ${option}`);
  }
  // RFC 5258 §3: RECURSIVEMATCH needs another option to modify (REMOTE does not count).
  if (s.recursiveMatch && !s.subscribed && !s.specialUse) throw new BadCommand('RECURSIVEMATCH must be combined with another selection option');
  return s;
}

function parseReturn(list: ArgumentCursor): ListReturn {
  const r: { subscribed: boolean; children: boolean; specialUse: boolean; status: StatusItem[] | null } = {
    subscribed: false, children: false, specialUse: false, status: null,
  };
  while (list.remaining > 0) {
    const option = list.keyword('return option');
    if (option === 'SUBSCRIBED') r.subscribed = true;
    else if (option === 'CHILDREN') r.children = true;
    else if (option === 'SPECIAL-USE') r.specialUse = true;
    else if (option === 'STATUS' && r.status === null) r.status = parseStatusItems(list.list('STATUS items'));
    else throw new BadCommand(`Unknown or repeated LIST return option ${option}`);
  }
  return r;
}

export function parseList(args: readonly Token[], context: CommandContext): ListCommand {
  const cursor = new ArgumentCursor(args, context);
  let extended = false;
  let selection: ListSelection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  const selectionList = cursor.optionalList();
  if (selectionList !== null) {
    extended = true;
    selection = parseSelection(selectionList);
  }
  const reference = cursor.pattern('reference name');
  const patterns: string[] = [];
  const patternList = cursor.optionalList();
  if (patternList !== null) {
    extended = true;
    if (patternList.remaining === 0) throw new BadCommand('Empty LIST pattern list');
    while (patternList.remaining > 0) patterns.push(patternList.pattern());
  } else {
    patterns.push(cursor.pattern());
  }
  let returnOptions: ListReturn = { subscribed: false, children: false, specialUse: false, status: null };
  if (cursor.remaining > 0) {
    if (cursor.keyword('RETURN') !== 'RETURN') throw new BadCommand('Expected RETURN after the LIST pattern');
    extended = true;
    returnOptions = parseReturn(cursor.list('return options'));
  }
  cursor.end();
  return { name: 'LIST', reference, patterns, selection, returnOptions, extended };
}

export function parseLsub(args: readonly Token[], context: CommandContext): LsubCommand {
  const cursor = new ArgumentCursor(args, context);
  const reference = cursor.pattern('reference name');
  const pattern = cursor.pattern();
  cursor.end();
  return { name: 'LSUB', reference, pattern };
}
