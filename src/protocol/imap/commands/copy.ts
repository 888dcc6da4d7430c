// COPY (RFC 3501 §6.4.7) and MOVE (RFC 6851 §3), with their UID forms.
import { ArgumentCursor } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { SequenceSet } from '../sequence-set.js';
import type { Token } from '../tokens.js';

export interface CopyCommand {
  readonly name: 'COPY' | 'MOVE';
  readonly uid: boolean;
  readonly sequence: SequenceSet;
  readonly mailbox: string;
}

function parseTransfer(name: 'COPY' | 'MOVE') {
  return (args: readonly Token[], context: CommandContext): CopyCommand => {
    const cursor = new ArgumentCursor(args, context);
    const sequence = cursor.sequenceSet(context.uid ? 'UID set' : 'sequence set');
    const mailbox = cursor.mailbox();
    cursor.end();
    return { name, uid: context.uid, sequence, mailbox };
  };
}

export const parseCopy = parseTransfer('COPY');
export const parseMove = parseTransfer('MOVE');
