// RENAME (RFC 3501 §6.3.5).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface RenameCommand {
  readonly name: 'RENAME';
  readonly from: string;
  readonly to: string;
}

export function parseRename(args: readonly Token[], context: CommandContext): RenameCommand {
  const cursor = new ArgumentCursor(args, context);
  const from = cursor.mailbox('existing mailbox name');
  const to = cursor.mailbox('new mailbox name');
  cursor.end();
  return { name: 'RENAME', from, to };
}
