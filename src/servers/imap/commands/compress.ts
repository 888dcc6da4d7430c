// COMPRESS DEFLATE (RFC 4978): after the tagged OK both directions are raw deflate.
import type { CompressCommand } from '../../../protocol/imap/index.js';
import type { CommandHandler } from '../types.js';
import { AUTHENTICATED, no, ok } from '../types.js';

export const compress: CommandHandler<CompressCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    if (session.connection.isCompressed) {
      session.feed(session.connection.reader.resume());
      // RFC 4978 §3: a second COMPRESS fails with [COMPRESSIONACTIVE].
      return no('Compression is already active', { code: 'COMPRESSIONACTIVE' });
    }
    if (command.mechanism !== 'DEFLATE') {
      session.feed(session.connection.reader.resume());
      return no(`Unknown compression mechanism ${command.mechanism.slice(0, 40)}`);
    }
    session.afterCommand = async () => {
      // Anything after COMPRESS was sent compressed: the reader held it, raw; it cannot be read as commands.
      session.connection.reader.discardHeld();
      await session.connection.startCompression();
      session.feed(session.connection.reader.resume());
    };
    return ok('DEFLATE active');
  },
};
