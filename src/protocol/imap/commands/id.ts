// ID (RFC 2971 §3.1).
import { Buffer } from 'node:buffer';
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import { isNil } from '../tokens.js';
import type { Token } from '../tokens.js';

export interface IdCommand {
  readonly name: 'ID';
  /** Field/value pairs in the order sent; null for `ID NIL`. */
  readonly parameters: ReadonlyArray<readonly [string, string | null]> | null;
}

/** RFC 2971 §3.3: at most 30 pairs, fields of at most 30 octets, values of at most 1024. */
export const ID_LIMITS = { pairs: 30, field: 30, value: 1024 } as const;

export function parseId(args: readonly Token[], context: CommandContext): IdCommand {
  const cursor = new ArgumentCursor(args, context);
  if (isNil(cursor.peek())) {
    cursor.next('parameters');
    cursor.end();
    return { name: 'ID', parameters: null };
  }
  const list = cursor.list('ID parameters or NIL');
  cursor.end();
  const parameters: Array<readonly [string, string | null]> = [];
  while (list.remaining > 0) {
    const field = list.string('ID field');
    const value = list.nstring('ID value');
    if (Buffer.byteLength(field) > ID_LIMITS.field || (value !== null && Buffer.byteLength(value) > ID_LIMITS.value)) {
      throw new BadCommand('ID field or value too long (RFC 2971 §3.3)');
    }
    parameters.push([field, value]);
  }
  if (parameters.length > ID_LIMITS.pairs) throw new BadCommand('Too many ID fields (RFC 2971 §3.3)');
  return { name: 'ID', parameters };
}
