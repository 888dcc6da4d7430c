// THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT and REFERENCES over the messages the
// search program matches.
import type { ThreadCommand } from '../../../protocol/imap/index.js';
import { searchFolder } from '../search/evaluate.js';
import { THREAD_COLUMNS, orderedSubjectThreads, referencesThreads } from '../search/threading.js';
import type { CommandHandler } from '../types.js';
import { SELECTED, ok } from '../types.js';

export const thread: CommandHandler<ThreadCommand> = {
  states: SELECTED,
  holdsExpunges: (command) => !command.uid,
  async run(session, command) {
    const result = await searchFolder(session, command.search, THREAD_COLUMNS);
    const threads = command.algorithm === 'REFERENCES'
      ? referencesThreads(result.pairs, result.rows, command.uid)
      : orderedSubjectThreads(result.pairs, result.rows, command.uid);
    await session.send({ type: 'THREAD', threads });
    return ok(`${command.uid ? 'UID ' : ''}THREAD completed`);
  },
};
