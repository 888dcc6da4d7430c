// SEARCH and UID SEARCH (RFC 3501 §6.4.4) with ESEARCH return options (RFC 4731 §3.1).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';
import { combineKeys, parseSearchKeys, readCharset } from './search-keys.js';
import type { SearchKey } from './search-keys.js';

export const SEARCH_RETURN_OPTIONS = ['MIN', 'MAX', 'ALL', 'COUNT'] as const;

export type SearchReturnOption = (typeof SEARCH_RETURN_OPTIONS)[number];

export interface SearchCommand {
  readonly name: 'SEARCH';
  readonly uid: boolean;
  /** Upper-cased; null when not given (US-ASCII, RFC 3501 §6.4.4). */
  readonly charset: string | null;
  /** RFC 4731: answer with ESEARCH carrying these; null for a plain SEARCH response. */
  readonly returnOptions: readonly SearchReturnOption[] | null;
  readonly criteria: SearchKey;
}

export function parseSearch(args: readonly Token[], context: CommandContext): SearchCommand {
  const cursor = new ArgumentCursor(args, context);
  let returnOptions: SearchReturnOption[] | null = null;
  if (cursor.peekAtom() === 'RETURN' && cursor.remaining > 1) {
    cursor.next('RETURN');
    const list = cursor.list('RETURN options');
    returnOptions = [];
    while (list.remaining > 0) {
      const option = list.keyword('RETURN option');
      if (!(SEARCH_RETURN_OPTIONS as readonly string[]).includes(option)) throw new BadCommand(`Unknown SEARCH RETURN option ${option}`);
      if (!returnOptions.includes(option as SearchReturnOption)) returnOptions.push(option as SearchReturnOption);
    }
    // RFC 4731 §3.1: an empty list means ALL.
    if (returnOptions.length === 0) returnOptions.push('ALL');
  }
  const charset = cursor.acceptKeyword('CHARSET') ? readCharset(cursor) : null;
  const criteria = combineKeys(parseSearchKeys(cursor));
  return { name: 'SEARCH', uid: context.uid, charset, returnOptions, criteria };
}
