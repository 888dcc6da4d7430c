// CAPABILITY, NOOP, CHECK, LOGOUT, ID, ENABLE, NAMESPACE: the commands without state of their own.
import type { EnableCommand, IdCommand, NoArgumentCommand } from '../../../protocol/imap/index.js';
import { untagged } from '../../../protocol/imap/index.js';
import { version } from '../../../version.js';
import { DELIMITER, SHARED_PREFIX } from '../mailbox-paths.js';
import type { CommandHandler } from '../types.js';
import { ANY_STATE, AUTHENTICATED, ok } from '../types.js';

/** RFC 3501 §6.1.1. */
export const capability: CommandHandler<NoArgumentCommand<'CAPABILITY'>> = {
  states: ANY_STATE,
  async run(session) {
    await session.send({ type: 'CAPABILITY', capabilities: session.capabilities() });
    return ok('CAPABILITY completed');
  },
};

/** RFC 3501 §6.1.2: does nothing, and so lets pending changes be reported. */
export const noop: CommandHandler<NoArgumentCommand<'NOOP'>> = {
  states: ANY_STATE,
  async run() {
    return ok('NOOP completed');
  },
};

/** RFC 3501 §6.4.1: every change is already committed; CHECK is NOOP (RFC 9051 removed it). */
export const check: CommandHandler<NoArgumentCommand<'CHECK'>> = {
  states: ['selected'],
  async run() {
    return ok('CHECK completed');
  },
};

/** RFC 3501 §6.1.3: BYE, then the tagged OK, then close. */
export const logout: CommandHandler<NoArgumentCommand<'LOGOUT'>> = {
  states: ANY_STATE,
  async run(session, _command, tag) {
    await session.send(untagged('BYE', 'Mailroom logging out'));
    await session.send({ type: 'status', tag, status: 'OK', text: 'LOGOUT completed' });
    session.deselect();
    session.state = 'logout';
    await session.connection.end();
    return ok('LOGOUT completed');
  },
};

/** RFC 2971: the client says who it is (logged); the server answers with its name and version. */
export const id: CommandHandler<IdCommand> = {
  states: ANY_STATE,
  async run(session, command) {
    if (command.parameters) session.log.info({ client: Object.fromEntries(command.parameters) }, 'IMAP client identified itself');
    await session.send({ type: 'ID', parameters: [['name', 'Mailroom'], ['version', version], ['vendor', 'Mailroom']] });
    return ok('ID completed');
  },
};

const ENABLEABLE = ['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT'];

/** RFC 5161: turns extensions on for the rest of the session; unknown ones are ignored. */
export const enable: CommandHandler<EnableCommand> = {
  states: AUTHENTICATED,
  async run(session, command) {
    const enabled: string[] = [];
    for (const raw of command.capabilities) {
      const name = raw.toUpperCase();
      if (!ENABLEABLE.includes(name) || session.enabled.has(name)) continue;
      session.enabled.add(name);
      enabled.push(name);
      // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
      if (name === 'QRESYNC' || name === 'CONDSTORE') session.condstore = true;
    }
    await session.send({ type: 'ENABLED', capabilities: enabled });
    return ok('ENABLE completed');
  },
};

/** RFC 2342 §5: the personal namespace, no "other users", and the shared mailboxes under "Shared/". */
export const namespace: CommandHandler<NoArgumentCommand<'NAMESPACE'>> = {
  states: AUTHENTICATED,
  async run(session) {
    await session.send({
      type: 'NAMESPACE',
      personal: [{ prefix: '', delimiter: DELIMITER }],
      other: null,
      shared: [{ prefix: SHARED_PREFIX, delimiter: DELIMITER }],
    });
    return ok('NAMESPACE completed');
  },
};
