// AUTHENTICATE (RFC 3501 §6.2.2) with the SASL-IR initial response (RFC 4959), and the client's
// responses to our challenges.
import { Buffer } from 'node:buffer';
import { ArgumentCursor, BadCommand } from '../arguments.js';
import type { CommandContext } from '../arguments.js';
import type { Token } from '../tokens.js';

export interface AuthenticateCommand {
  readonly name: 'AUTHENTICATE';
  /** Upper-cased SASL mechanism name, e.g. "PLAIN". */
  readonly mechanism: string;
  /** RFC 4959: the decoded initial response; empty for "="; null when none was sent. */
  readonly initialResponse: Buffer | null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MECHANISM = /^[A-Z0-9_-]{1,20}$/;

/** Strict base64 (RFC 4648 §4, padded); null when malformed. */
export function decodeBase64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

export function parseAuthenticate(args: readonly Token[], context: CommandContext): AuthenticateCommand {
  const cursor = new ArgumentCursor(args, context);
  const mechanism = cursor.keyword('SASL mechanism');
  if (!MECHANISM.test(mechanism)) throw new BadCommand('Invalid SASL mechanism name');
  let initialResponse: Buffer | null = null;
  if (cursor.remaining > 0) {
    const text = cursor.atom('initial response');
    // RFC 4959 §3: "=" stands for an empty initial response.
    initialResponse = text === '=' ? Buffer.alloc(0) : decodeBase64(text);
    if (initialResponse === null) throw new BadCommand('Initial response is not valid base64');
  }
  cursor.end();
  return { name: 'AUTHENTICATE', mechanism, initialResponse };
}

/**
 * A client's response line during AUTHENTICATE (RFC 3501 §6.2.2): "*" cancels the exchange
 * (answer BAD), otherwise base64 (an empty line is an empty response). Null when malformed.
 */
export function decodeSaslResponse(line: string): Buffer | 'cancel' | null {
  if (line === '*') return 'cancel';
  return decodeBase64(line);
}
