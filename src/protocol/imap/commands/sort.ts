// SORT and UID SORT (RFC 5256 §3), with DISPLAYFROM / DISPLAYTO (RFC 5957).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';
import { combineKeys, parseSearchKeys, readCharset } from './search-keys.js';
import type { SearchKey } from './search-keys.js';

export const SORT_KEYS = ['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO'] as const;

export type SortKey = (typeof SORT_KEYS)[number];

export interface SortCriterion {
  readonly key: SortKey;
  readonly reverse: boolean;
}

export interface SortCommand {
  readonly name: 'SORT';
  readonly uid: boolean;
  readonly criteria: readonly SortCriterion[];
  readonly charset: string;
  readonly search: SearchKey;
}

export function parseSort(args: readonly Token[], context: CommandContext): SortCommand {
  const cursor = new ArgumentCursor(args, context);
  const list = cursor.list('sort criteria');
  const criteria: SortCriterion[] = [];
  while (list.remaining > 0) {
    const reverse = list.acceptKeyword('REVERSE');
    const key = list.keyword('sort key');
    if (!(SORT_KEYS as readonly string[]).includes(key)) throw new BadCommand(`Unknown sort key ${key.slice(0, 40)}`);
    criteria.push({ key: key as SortKey, reverse });
  }
  if (criteria.length === 0) throw new BadCommand('Empty sort criteria');
  // RFC 5256 §3: the charset is required in SORT and THREAD.
  const charset = readCharset(cursor);
  const search = combineKeys(parseSearchKeys(cursor));
  return { name: 'SORT', uid: context.uid, criteria, charset, search };
}
