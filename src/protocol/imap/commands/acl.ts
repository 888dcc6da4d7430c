// GETACL, SETACL, DELETEACL, LISTRIGHTS and MYRIGHTS (RFC 4314 §3.1–3.5).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

/** RFC 4314 §2.1 rights, plus the obsolete "c" and "d" of RFC 2086 (§2.1.1). */
export const ACL_RIGHTS = 'lrswipkxtecda';

export interface GetAclCommand {
  readonly name: 'GETACL';
  readonly mailbox: string;
}

export interface SetAclCommand {
  readonly name: 'SETACL';
  readonly mailbox: string;
  /** A user or group identifier; a leading "-" names negative rights (RFC 4314 §2). */
  readonly identifier: string;
  /** "+rights" adds, "-rights" removes, plain rights replace (RFC 4314 §3.1). */
  readonly mode: 'replace' | 'add' | 'remove';
  /** Right letters without the sign, validated and without repeats. */
  readonly rights: string;
}

export interface DeleteAclCommand {
  readonly name: 'DELETEACL';
  readonly mailbox: string;
  readonly identifier: string;
}

export interface ListRightsCommand {
  readonly name: 'LISTRIGHTS';
  readonly mailbox: string;
  readonly identifier: string;
}

export interface MyRightsCommand {
  readonly name: 'MYRIGHTS';
  readonly mailbox: string;
}

/** Validates a rights string (RFC 4314 §3.1: an unknown right is a BAD command). */
export function parseRights(text: string): string {
  let out = '';
  for (const ch of text) {
    if (/[A-Z]/.test(ch)) throw new BadCommand('Uppercase rights are not allowed');
    if (!ACL_RIGHTS.includes(ch)) throw new BadCommand(`The ${ch.length === 1 && ch > ' ' ? ch : 'given'} right is not supported`);
    if (!out.includes(ch)) out += ch;
  }
  return out;
}

export function parseGetAcl(args: readonly Token[], context: CommandContext): GetAclCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  cursor.end();
  return { name: 'GETACL', mailbox };
}

export function parseSetAcl(args: readonly Token[], context: CommandContext): SetAclCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  const identifier = cursor.astring('identifier');
  const modRights = cursor.astring('rights');
  cursor.end();
  const sign = modRights[0];
  const mode = sign === '+' ? 'add' : sign === '-' ? 'remove' : 'replace';
  return { name: 'SETACL', mailbox, identifier, mode, rights: parseRights(mode === 'replace' ? modRights : modRights.slice(1)) };
}

export function parseDeleteAcl(args: readonly Token[], context: CommandContext): DeleteAclCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  const identifier = cursor.astring('identifier');
  cursor.end();
  return { name: 'DELETEACL', mailbox, identifier };
}

export function parseListRights(args: readonly Token[], context: CommandContext): ListRightsCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  const identifier = cursor.astring('identifier');
  cursor.end();
  return { name: 'LISTRIGHTS', mailbox, identifier };
}

export function parseMyRights(args: readonly Token[], context: CommandContext): MyRightsCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  cursor.end();
  return { name: 'MYRIGHTS', mailbox };
}
