// LOGIN (RFC 3501 §6.2.3).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface LoginCommand {
  readonly name: 'LOGIN';
  readonly username: string;
  readonly password: string;
}

export function parseLogin(args: readonly Token[], context: CommandContext): LoginCommand {
  const cursor = new ArgumentCursor(args, context);
  const username = cursor.astring('user name');
  const password = cursor.astring('password');
  cursor.end();
  return { name: 'LOGIN', username, password };
}
