// EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1).
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { SequenceSet } from '../sequence-set.js';
import type { Token } from '../tokens.js';

export interface ExpungeCommand {
  readonly name: 'EXPUNGE';
  /** UID EXPUNGE: only these UIDs (among those marked \Deleted); null for plain EXPUNGE. */
  readonly uids: SequenceSet | null;
}

export function parseExpunge(args: readonly Token[], context: CommandContext): ExpungeCommand {
  const cursor = new ArgumentCursor(args, context);
  const uids = context.uid ? cursor.sequenceSet('UID set') : null;
  cursor.end();
  return { name: 'EXPUNGE', uids };
}
