// COMPRESS (RFC 4978 §3).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface CompressCommand {
  readonly name: 'COMPRESS';
  /** Upper-cased mechanism; DEFLATE is the only one defined (an unknown one is answered NO). */
  readonly mechanism: string;
}

export function parseCompress(args: readonly Token[], context: CommandContext): CompressCommand {
  const cursor = new ArgumentCursor(args, context);
  const mechanism = cursor.keyword('compression mechanism');
  cursor.end();
  return { name: 'COMPRESS', mechanism };
}
