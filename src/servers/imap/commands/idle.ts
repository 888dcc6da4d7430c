// IDLE (RFC 2177, RFC 9051 §6.3.13): changes to the selected folder are pushed as they happen.
import type { NoArgumentCommand } from '../../../protocol/imap/index.js';
import { isIdleDone } from '../../../protocol/imap/index.js';
import type { CommandHandler } from '../types.js';
import { AUTHENTICATED, bad, ok } from '../types.js';

export const idle: CommandHandler<NoArgumentCommand<'IDLE'>> = {
  states: AUTHENTICATED,
  async run(session, _command, tag) {
    await session.reportChanges();
    await session.send({ type: 'continuation', text: 'idling' });
    const selected = session.selected;
    let pushing: Promise<void> = Promise.resolve();
    const push = (): void => {
      // One report at a time, in order; each sends whatever has gathered by then.
      pushing = pushing.then(() => session.reportChanges()).catch((error: unknown) => session.log.warn({ err: error }, 'IDLE push failed'));
    };
    if (selected) selected.onChange = push;
    try {
      const line = await new Promise<string>((resolve) => {
        session.idle = { tag, done: () => resolve('DONE') };
        void session.readLine().then(resolve);
      });
      await pushing;
      if (!isIdleDone(line)) return bad('Expected DONE to end IDLE');
      return ok('IDLE terminated');
    } finally {
      session.idle = null;
      if (selected) selected.onChange = () => undefined;
      session.feed(session.connection.reader.resume());
    }
  },
};
