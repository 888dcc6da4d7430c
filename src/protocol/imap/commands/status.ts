// STATUS (RFC 3501 §6.3.10) with HIGHESTMODSEQ (RFC 7162 §3.1.6), SIZE and DELETED (RFC 9051
// §6.3.11) and APPENDLIMIT (RFC 7889 §3).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export const STATUS_ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'DELETED', 'APPENDLIMIT'] as const;

export type StatusItem = (typeof STATUS_ITEMS)[number];

export interface StatusCommand {
  readonly name: 'STATUS';
  readonly mailbox: string;
  /** In the order asked, without repeats. */
  readonly items: readonly StatusItem[];
}

/** The items of a STATUS list (also LIST ... RETURN (STATUS (...)), RFC 5819). */
export function parseStatusItems(list: ArgumentCursor): StatusItem[] {
  const items: StatusItem[] = [];
  if (list.remaining === 0) throw new BadCommand('Empty STATUS item list');
  while (list.remaining > 0) {
    const item = list.keyword('STATUS item');
    if (!(STATUS_ITEMS as readonly string[]).includes(item)) throw new BadCommand(`Unknown STATUS item ${item}`);
    if (!items.includes(item as StatusItem)) items.push(item as StatusItem);
  }
  return items;
}

export function parseStatus(args: readonly Token[], context: CommandContext): StatusCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  const items = parseStatusItems(cursor.list('STATUS items'));
  cursor.end();
  return { name: 'STATUS', mailbox, items };
}
