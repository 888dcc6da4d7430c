// STORE and UID STORE (RFC 3501 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { SequenceSet } from '../sequence-set.js';
import type { Token } from '../tokens.js';
import { readFlagList } from './append.js';

export interface StoreCommand {
  readonly name: 'STORE';
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  /** FLAGS replaces, +FLAGS adds, -FLAGS removes. */
  readonly operation: 'replace' | 'add' | 'remove';
  /** .SILENT: no untagged FETCH for the change (RFC 3501 §6.4.6). */
  readonly silent: boolean;
  readonly flags: readonly string[];
  /** RFC 7162 §3.1.3: store only where the message's mod-sequence is at most this. */
  readonly unchangedSince: number | null;
}

const ITEM = /^([+-]?)FLAGS(\.SILENT)?$/;

export function parseStore(args: readonly Token[], context: CommandContext): StoreCommand {
  const cursor = new ArgumentCursor(args, context);
  const sequence = cursor.sequenceSet(context.uid ? 'UID set' : 'sequence set');
  let unchangedSince: number | null = null;
  const modifiers = cursor.optionalList();
  if (modifiers !== null) {
    while (modifiers.remaining > 0) {
      const modifier = modifiers.keyword('STORE modifier');
      if (modifier !== 'UNCHANGEDSINCE' || unchangedSince !== null) throw new BadCommand(`Unknown or repeated STORE modifier ${modifier}`);
      unchangedSince = modifiers.modSequence('UNCHANGEDSINCE mod-sequence');
    }
  }
  const itemName = cursor.keyword('STORE data item');
  const m = ITEM.exec(itemName);
  if (m === null) throw new BadCommand(`Unknown STORE data item ${itemName.slice(0, 40)}`);
  const list = cursor.optionalList();
  let flags: string[];
  if (list !== null) {
    flags = readFlagList(list);
    cursor.end();
  } else {
    if (cursor.remaining === 0) throw new BadCommand('Missing flags');
    flags = readFlagList(cursor);
  }
  const operation = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'replace';
  return { name: 'STORE', uid: context.uid, sequence, operation, silent: m[2] !== undefined, flags, unchangedSince };
}
