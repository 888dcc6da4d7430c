// THREAD and UID THREAD (RFC 5256 §3).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';
import { combineKeys, parseSearchKeys, readCharset } from './search-keys.js';
import type { SearchKey } from './search-keys.js';

export const THREAD_ALGORITHMS = ['ORDEREDSUBJECT', 'REFERENCES'] as const;

export type ThreadAlgorithm = (typeof THREAD_ALGORITHMS)[number];

export interface ThreadCommand {
  readonly name: 'THREAD';
  readonly uid: boolean;
  readonly algorithm: ThreadAlgorithm;
  readonly charset: string;
  readonly search: SearchKey;
}

export function parseThread(args: readonly Token[], context: CommandContext): ThreadCommand {
  const cursor = new ArgumentCursor(args, context);
  const algorithm = cursor.keyword('threading algorithm');
  if (!(THREAD_ALGORITHMS as readonly string[]).includes(algorithm)) throw new BadCommand(`Unsupported threading algorithm ${algorithm.slice(0, 40)}`);
  const charset = readCharset(cursor);
  const search = combineKeys(parseSearchKeys(cursor));
  return { name: 'THREAD', uid: context.uid, algorithm: algorithm as ThreadAlgorithm, charset, search };
}
