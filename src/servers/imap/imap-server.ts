import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { DEFAULT_READER_OPTIONS } from '../../protocol/imap/index.js';
import { ImapConnection } from './connection.js';
import { Session } from './session.js';
import type { ImapDeps } from './types.js';

export interface ImapListener {
  readonly server: Server;
  /** Open sessions (for shutdown and metrics). */
  readonly sessions: Set<Session>;
}

const isLoopback = (address: string | undefined): boolean =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);

let nextSessionId = 1;

/**
 * An IMAP listener: plain with STARTTLS (port 143 style) or implicit TLS (IMAPS, RFC 8314 §3.3).
 * Each connection gets a session (session.ts) over the codec's reader and writer.
 */
export function createImapServer(deps: ImapDeps, options: { implicitTls: boolean }): ImapListener {
  const sessions = new Set<Session>();
  const readerOptions = {
    ...DEFAULT_READER_OPTIONS,
    // RFC 7889: APPENDLIMIT is the largest message; a literal is a message plus nothing.
    maxLiteralSize: deps.maxMessageBytes,
  };
  const accept = (socket: Socket): void => {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const connection = new ImapConnection(socket, readerOptions, socket.remoteAddress ?? 'unknown');
    const session = new Session(deps, connection, { loopback: isLoopback(socket.remoteAddress), id: nextSessionId++ });
    sessions.add(session);
    socket.once('close', () => sessions.delete(session));
    session.start();
  };
  if (options.implicitTls) {
    if (!deps.tls) throw new Error('IMAPS needs a TLS certificate');
    const server = createTlsServer({ key: deps.tls.key, cert: deps.tls.cert }, (socket) => accept(socket as unknown as Socket));
    return { server, sessions };
  }
  return { server: createTcpServer(accept), sessions };
}

export function listenImap(listener: ImapListener, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    listener.server.once('error', reject);
    listener.server.listen(port, host, () => {
      listener.server.off('error', reject);
      const address = listener.server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops accepting, says BYE to every session and closes them. */
export async function closeImap(listener: ImapListener): Promise<void> {
  const closed = new Promise<void>((resolve) => listener.server.close(() => resolve()));
  await Promise.all([...listener.sessions].map((s) => s.shutdown()));
  await closed;
}
