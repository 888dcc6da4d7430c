// SORT and UID SORT (RFC 5256 §3; DISPLAYFROM and DISPLAYTO, RFC 5957 §3). The search program is
// evaluated as for SEARCH; the matches are then ordered on the stored columns.
import type { SortCommand } from '../../../protocol/imap/index.js';
import { searchFolder } from '../search/evaluate.js';
import { sortColumns, sortPairs } from '../search/ordering.js';
import type { CommandHandler } from '../types.js';
import { SELECTED, ok } from '../types.js';

export const sort: CommandHandler<SortCommand> = {
  states: SELECTED,
  // RFC 5256 §3 / RFC 3501 §7.4.1: SORT by message number holds expunges like SEARCH.
  holdsExpunges: (command) => !command.uid,
  async run(session, command) {
    const result = await searchFolder(session, command.search, sortColumns(command.criteria));
    if (result.usedModseq) session.condstore = true;
    const ordered = sortPairs(result.pairs, result.rows, command.criteria);
    const numbers = ordered.map(([seq, uid]) => (command.uid ? uid : seq));
    // RFC 7162 §3.1.5: SORT with MODSEQ carries the highest mod-sequence too.
    let modSeq = 0;
    if (result.usedModseq) for (const [, uid] of ordered) modSeq = Math.max(modSeq, Number(result.rows.get(uid)?.modseq ?? 0));
    await session.send(result.usedModseq ? { type: 'SORT', numbers, modSeq } : { type: 'SORT', numbers });
    return ok(`${command.uid ? 'UID ' : ''}SORT completed`);
  },
};
