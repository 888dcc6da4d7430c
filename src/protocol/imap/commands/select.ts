// SELECT and EXAMINE (RFC 3501 §6.3.1–2) with the CONDSTORE and QRESYNC parameters (RFC 7162
// §3.1.8, §3.2.5; select-params of RFC 4466 §2.1).
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import { sequenceSetHasStar } from '../sequence-set.js';
import type { SequenceSet } from '../sequence-set.js';
import type { Token } from '../tokens.js';

/** RFC 7162 §3.2.5: what the client knows of the mailbox from its last session. */
export interface QresyncParameters {
  readonly uidValidity: number;
  readonly modSeq: number;
  /** UIDs the client knows of; null means all of them. */
  readonly knownUids: SequenceSet | null;
  /** Message numbers and the UIDs the client had for them, to find expunges cheaply. */
  readonly sequenceMatch: { readonly sequences: SequenceSet; readonly uids: SequenceSet } | null;
}

export interface SelectCommand {
  readonly name: 'SELECT' | 'EXAMINE';
  readonly mailbox: string;
  /** CONDSTORE was given, or QRESYNC (which implies it, RFC 7162 §3.2.5). */
  readonly condstore: boolean;
  readonly qresync: QresyncParameters | null;
}

function noStar(set: SequenceSet, what: string): SequenceSet {
  if (sequenceSetHasStar(set)) throw new BadCommand(`"*" is not allowed in ${what} (RFC 7162 §3.2.5)`);
  return set;
}

function parseQresync(list: ArgumentCursor): QresyncParameters {
  const uidValidity = list.nzNumber('UIDVALIDITY');
  const modSeq = list.modSequence('mod-sequence');
  let knownUids: SequenceSet | null = null;
  let sequenceMatch: QresyncParameters['sequenceMatch'] = null;
  if (list.peek()?.type === 'atom') knownUids = noStar(list.sequenceSet('known UIDs'), 'known UIDs');
  const match = list.optionalList();
  if (match !== null) {
    const sequences = noStar(match.sequenceSet('known sequence set'), 'the known sequence set');
    const uids = noStar(match.sequenceSet('known UID set'), 'the known UID set');
    match.end();
    sequenceMatch = { sequences, uids };
  }
  list.end();
  return { uidValidity, modSeq, knownUids, sequenceMatch };
}

function parseSelectOrExamine(name: 'SELECT' | 'EXAMINE') {
  return (args: readonly Token[], context: CommandContext): SelectCommand => {
    const cursor = new ArgumentCursor(args, context);
    const mailbox = cursor.mailbox();
    let condstore = false;
    let qresync: QresyncParameters | null = null;
    const params = cursor.optionalList();
    cursor.end();
    if (params !== null) {
      if (params.remaining === 0) throw new BadCommand(`Empty ${name} parameter list`);
      while (params.remaining > 0) {
        const param = params.keyword(`${name} parameter`);
        if (param === 'CONDSTORE' && !condstore) {
          condstore = true;
        } else if (param === 'QRESYNC' && qresync === null) {
          qresync = parseQresync(params.list('QRESYNC parameters'));
        } else {
          throw new BadCommand(`Unknown or repeated ${name} parameter ${param}`);
        }
      }
    }
    return { name, mailbox, condstore: condstore || qresync !== null, qresync };
  };
}

export const parseSelect = parseSelectOrExamine('SELECT');
export const parseExamine = parseSelectOrExamine('EXAMINE');
