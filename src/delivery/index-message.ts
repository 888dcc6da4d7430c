import { parseMessageStructure } from '../protocol/mime/structure.js';
import type { IndexedMessage } from '../store/mail/message-writer.js';

/** Headers larger than this are searched from the blob itself. */
const HEADER_LIMIT = 64 * 1024;

/** Parses a message once, at delivery, into what the store keeps beside it. */
export function indexMessage(raw: Buffer): IndexedMessage {
  const structure = parseMessageStructure(raw);
  const s = structure.searchable;
  return {
    structureJson: JSON.stringify({ envelope: structure.envelope, body: structure.body, headerBytes: structure.headerBytes }),
    subject: s.subject,
    from: s.from,
    to: s.to,
    cc: s.cc,
    date: s.date,
    messageId: s.messageId || null,
    inReplyTo: s.inReplyTo || null,
    references: s.references,
    text: s.text,
    ...(structure.headerBytes <= HEADER_LIMIT ? { header: raw.toString('latin1', 0, structure.headerBytes) } : {}),
  };
}
