// DELETE (RFC 3501 §6.3.4).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface DeleteCommand {
  readonly name: 'DELETE';
  readonly mailbox: string;
}

export function parseDelete(args: readonly Token[], context: CommandContext): DeleteCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  cursor.end();
  return { name: 'DELETE', mailbox };
}
