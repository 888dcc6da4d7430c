// The MIME codec's public surface: parse once at delivery, serialize for IMAP on every FETCH.
export {
  parseMessageStructure, buildEnvelope, findSection, sectionRange, MAX_NESTING_DEPTH, MAX_PARTS, SEARCHABLE_TEXT_LIMIT, SEARCHABLE_HEADER_LIMIT,
} from './structure.js';
export type { SectionRange } from './structure.js';
export { envelopeToImap, bodyStructureToImap, imapString, imapNString } from './bodystructure.js';
export {
  parseHeaderBlock, getHeader, getHeaders, getParam, parseParameterizedValue, parseContentType, parseContentDisposition,
  decodeEncodedWords, parseAddressList,
} from './headers.js';
export type { ContentType, HeaderBlock, HeaderBlockOptions, HeaderField, ParameterizedValue } from './headers.js';
export { parseMessageDate } from './date.js';
export type {
  BodyPart, ContentDisposition, EncapsulatedMessage, Envelope, EnvelopeAddress, MessageStructure, MimeParam, SearchableFields,
} from './types.js';
