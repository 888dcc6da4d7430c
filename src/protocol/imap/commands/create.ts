// CREATE (RFC 3501 §6.3.3) with the USE parameter of CREATE-SPECIAL-USE (RFC 6154 §3).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import { normalizeSpecialUse } from '../flags.js';
import type { Token } from '../tokens.js';

export interface CreateCommand {
  readonly name: 'CREATE';
  readonly mailbox: string;
  /**
   * Special-use attributes asked for; known ones in canonical case (\Drafts), others as written —
   * the server answers those NO [USEATTR] (RFC 6154 §3).
   */
  readonly specialUse: readonly string[];
}

export function parseCreate(args: readonly Token[], context: CommandContext): CreateCommand {
  const cursor = new ArgumentCursor(args, context);
  const mailbox = cursor.mailbox();
  const specialUse: string[] = [];
  const params = cursor.optionalList();
  cursor.end();
  if (params !== null) {
    let seenUse = false;
    while (params.remaining > 0) {
      const param = params.keyword('CREATE parameter');
      if (param !== 'USE' || seenUse) throw new BadCommand(`Unknown or repeated CREATE parameter ${param}`);
      seenUse = true;
      const uses = params.list('special-use attributes');
      while (uses.remaining > 0) {
        const attr = uses.atom('special-use attribute');
        if (!attr.startsWith('\\')) throw new BadCommand(`Invalid special-use attribute ${attr}`);
        specialUse.push(normalizeSpecialUse(attr) ?? attr);
      }
    }
  }
  return { name: 'CREATE', mailbox, specialUse };
}
