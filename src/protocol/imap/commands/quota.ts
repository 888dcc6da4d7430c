// GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208 §4.1–4.3).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface GetQuotaCommand {
  readonly name: 'GETQUOTA';
  /** A quota root name as the server reported it (not a mailbox name: not decoded). */
  readonly root: string;
}

export interface GetQuotaRootCommand {
  readonly name: 'GETQUOTAROOT';
  readonly mailbox: string;
}

export interface SetQuotaCommand {
  readonly name: 'SETQUOTA';
  readonly root: string;
  /** Upper-cased resource names (STORAGE is in units of 1024 octets, RFC 9208 §5.1) and limits. */
  readonly limits: ReadonlyArray<{ readonly resource: string; readonly limit: number }>;
}

export function parseGetQuota(args: readonly Token[], context: CommandContext): GetQuotaCommand {
  const cursor = new ArgumentCursor(args, context);
  const root = cursor.astring('quota root');
  cursor.end();
  return { name: 'GETQUOTA', root };
}

export function parseGetQuotaRoot(args: readonly Token[], context: CommandContext): GetQuotaRootCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  cursor.end();
  return { name: 'GETQUOTAROOT', mailbox };
}

export function parseSetQuota(args: readonly Token[], context: CommandContext): SetQuotaCommand {
  const cursor = new ArgumentCursor(args, context);
  const root = cursor.astring('quota root');
  const list = cursor.list('quota limits');
  cursor.end();
  const limits: Array<{ resource: string; limit: number }> = [];
  while (list.remaining > 0) {
    const resource = list.keyword('resource name');
    if (limits.some((l) => l.resource === resource)) throw new BadCommand(`Resource ${resource} given twice`);
    // resource-limit = number64 (RFC 9208 §9); clamped like mod-sequences.
    limits.push({ resource, limit: list.modSequence('resource limit') });
  }
  return { name: 'SETQUOTA', root, limits };
}
