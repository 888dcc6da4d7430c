import { Buffer } from 'node:buffer';
import { findSection } from '../../protocol/mime/index.js';
import type { BodyPart } from '../../protocol/mime/index.js';
import { decodeTransferEncoding } from '../../protocol/mime/text.js';
import type { ImapDeps } from './types.js';

const KNOWN = new Set(['7BIT', '8BIT', 'BINARY', 'BASE64', 'QUOTED-PRINTABLE']);

/**
 * BINARY[part] (RFC 3516 §4.2): the part's body with its Content-Transfer-Encoding undone. Null
 * when the encoding is one the server does not know (the caller answers NO [UNKNOWN-CTE]).
 * An empty part list means the message's own body.
 */
export async function decodePart(deps: ImapDeps, hash: string, body: BodyPart, part: readonly number[]): Promise<Buffer | null> {
  const section = part.length === 0 ? body : findSection(body, part);
  if (!section) return Buffer.alloc(0);
  if (!KNOWN.has(section.encoding.toUpperCase())) return null;
  const raw = await deps.blobs.openRange(deps.db, hash, section.bodyStart, section.end);
  const bytes = Buffer.isBuffer(raw) ? raw : await collect(raw);
  return decodeTransferEncoding(bytes, section.encoding);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
