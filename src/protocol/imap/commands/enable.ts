// ENABLE (RFC 5161 §3.1).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface EnableCommand {
  readonly name: 'ENABLE';
  /** Upper-cased capability names, in the order given. */
  readonly capabilities: readonly string[];
}

export function parseEnable(args: readonly Token[], context: CommandContext): EnableCommand {
  const cursor = new ArgumentCursor(args, context);
  // enable = "ENABLE" 1*(SP capability)
  if (cursor.remaining === 0) throw new BadCommand('Missing capability to enable');
  return { name: 'ENABLE', capabilities: cursor.restAsAtoms('capability').map((c) => c.toUpperCase()) };
}
