import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { SmtpReply } from './smtp-server-adapter.js';

/** Decides, when the client sends AUTH, whether the exchange may start; a reply refuses it. */
export type AuthGate = (session: SMTPServerSession) => SmtpReply | null;

type Handler = (this: ConnectionInternals, command: Buffer, callback: () => void) => void;
interface ConnectionInternals {
  readonly _server: SMTPServer;
  readonly session: SMTPServerSession;
  send(code: number, data: string): void;
}

const gates = new WeakMap<SMTPServer, AuthGate>();
const connectionPrototype = (SMTPConnection as unknown as { prototype: { handler_AUTH: Handler } }).prototype;
const originalAuth = connectionPrototype.handler_AUTH;

/**
 * smtp-server can only refuse AUTH before STARTTLS with its own words (538 without RFC 4954's
 * 5.7.11), or accept it and let onAuth refuse after the client has sent its password. A gate
 * answers the AUTH command itself, before any credential is exchanged (RFC 4954 §4). Only
 * servers given a gate are affected; onAuth still checks the same rule.
 */
connectionPrototype.handler_AUTH = function gatedAuth(command, callback) {
  const refusal = gates.get(this._server)?.(this.session);
  if (refusal) {
    this.send(refusal.responseCode, refusal.message);
    callback();
    return;
  }
  originalAuth.call(this, command, callback);
};

export function gateAuthentication(server: SMTPServer, gate: AuthGate): void {
  gates.set(server, gate);
}
