// SEARCH and UID SEARCH (RFC 3501 §6.4.4, RFC 9051 §6.4.4), with ESEARCH's RETURN options
// (RFC 4731 §3.1) and CONDSTORE's MODSEQ key (RFC 7162 §3.1.5). The program is evaluated in
// search/evaluate.ts; this file shapes the answer.
import type { DataResponse, SearchCommand, SearchReturnOption } from '../../../protocol/imap/index.js';
import type { MessageRow } from '../../../store/mail/message-index.js';
import { searchFolder } from '../search/evaluate.js';
import type { CommandHandler } from '../types.js';
import { SELECTED, ok } from '../types.js';

/**
 * RFC 7162 §3.1.5: the highest mod-sequence of the messages returned; with ESEARCH and only MIN
 * and/or MAX asked for, of those messages alone.
 */
function highestModseq(uids: readonly number[], rows: ReadonlyMap<number, MessageRow>): number {
  let highest = 0;
  for (const uid of uids) highest = Math.max(highest, Number(rows.get(uid)?.modseq ?? 0));
  return highest;
}

function esearch(tag: string, uid: boolean, options: readonly SearchReturnOption[], numbers: readonly number[], uids: readonly number[],
  rows: ReadonlyMap<number, MessageRow>, usedModseq: boolean): DataResponse {
  const found = numbers.length > 0;
  const asked = (option: SearchReturnOption): boolean => options.includes(option);
  let modSeq: number | null = null;
  if (usedModseq && found) {
    const onlyEnds = !asked('ALL') && !asked('COUNT');
    const ends = [...new Set([asked('MIN') ? uids[0]! : uids[uids.length - 1]!, asked('MAX') ? uids[uids.length - 1]! : uids[0]!])];
    modSeq = highestModseq(onlyEnds ? ends : uids, rows);
  }
  // RFC 4731 §3.1: MIN and MAX are left out when nothing matched; COUNT is then 0.
  return {
    type: 'ESEARCH', tag, uid,
    ...(asked('MIN') && found ? { min: numbers[0]! } : {}),
    ...(asked('MAX') && found ? { max: numbers[numbers.length - 1]! } : {}),
    ...(asked('COUNT') ? { count: numbers.length } : {}),
    ...(asked('ALL') ? { all: numbers } : {}),
    ...(modSeq !== null ? { modSeq } : {}),
  };
}

export const search: CommandHandler<SearchCommand> = {
  states: SELECTED,
  // RFC 3501 §7.4.1: no EXPUNGE while a SEARCH by message number runs or ends.
  holdsExpunges: (command) => !command.uid,
  async run(session, command, tag) {
    const result = await searchFolder(session, command.criteria);
    // RFC 7162 §3.1: a SEARCH with MODSEQ turns CONDSTORE on for the session.
    if (result.usedModseq) session.condstore = true;
    const uids = result.pairs.map(([, uid]) => uid);
    const numbers = command.uid ? uids : result.pairs.map(([seq]) => seq);
    const label = command.uid ? 'UID SEARCH' : 'SEARCH';
    if (command.returnOptions !== null) {
      await session.send(esearch(tag, command.uid, command.returnOptions, numbers, uids, result.rows, result.usedModseq));
      return ok(`${label} completed`);
    }
    await session.send(result.usedModseq ? { type: 'SEARCH', numbers, modSeq: highestModseq(uids, result.rows) } : { type: 'SEARCH', numbers });
    return ok(`${label} completed`);
  },
};
