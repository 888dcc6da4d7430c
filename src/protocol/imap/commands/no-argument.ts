// The commands that take no arguments: CAPABILITY, NOOP, LOGOUT (RFC 3501 §6.1), STARTTLS (§6.2.1),
// CHECK, CLOSE (§6.4.1–2), UNSELECT (RFC 3691), IDLE (RFC 2177), NAMESPACE (RFC 2342).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export type NoArgumentCommandName = 'CAPABILITY' | 'NOOP' | 'LOGOUT' | 'STARTTLS' | 'CHECK' | 'CLOSE' | 'UNSELECT' | 'IDLE' | 'NAMESPACE';

export interface NoArgumentCommand<N extends NoArgumentCommandName = NoArgumentCommandName> {
  readonly name: N;
}

function noArguments<N extends NoArgumentCommandName>(name: N) {
  return (args: readonly Token[], context: CommandContext): NoArgumentCommand<N> => {
    new ArgumentCursor(args, context).end();
    return { name };
  };
}

export const parseCapability = noArguments('CAPABILITY');
export const parseNoop = noArguments('NOOP');
export const parseLogout = noArguments('LOGOUT');
export const parseStarttls = noArguments('STARTTLS');
export const parseCheck = noArguments('CHECK');
export const parseClose = noArguments('CLOSE');
export const parseUnselect = noArguments('UNSELECT');
export const parseIdle = noArguments('IDLE');
export const parseNamespace = noArguments('NAMESPACE');

/** RFC 2177 §3: the line that ends IDLE (read with CommandReader.readLine()); case-insensitive. */
export function isIdleDone(line: string): boolean {
  return line.toUpperCase() === 'DONE';
}
