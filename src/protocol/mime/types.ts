// The data the message store computes once at delivery and keeps beside the blob (JSON-serializable).

/** A MIME parameter as [name lower-cased, value]; order is the header's order. */
export type MimeParam = [name: string, value: string];

/**
 * One address of an IMAP envelope (RFC 3501 §7.4.2). A group start has `host` null and the group
 * name in `mailbox`; a group end has every field null.
 */
export interface EnvelopeAddress {
  name: string | null;
  adl: string | null;
  mailbox: string | null;
  host: string | null;
}

/** RFC 3501 §7.4.2 / RFC 9051 §7.5.2 envelope: raw (unfolded, not RFC 2047-decoded) header values. */
export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

export interface ContentDisposition {
  /** Lower-cased, e.g. "attachment". */
  type: string;
  params: MimeParam[];
}

/** A message/rfc822 part's own message. */
export interface EncapsulatedMessage {
  envelope: Envelope;
  body: BodyPart;
}

/**
 * One MIME part. Offsets are absolute byte offsets into the raw message:
 * the part's MIME header is raw[headerStart, bodyStart) (including its blank line) and its body
 * raw[bodyStart, end). For the top-level body, headerStart is 0 and the MIME header is the message header.
 */
export interface BodyPart {
  /** Lower-cased media type, e.g. "text" (RFC 2045 §5.2 default text/plain). */
  type: string;
  subtype: string;
  /**
   * Content-Type parameters (RFC 2231 continuations merged; an extended value keeps its
   * `name*` = charset'language'%XX form, as Dovecot reports it). text/* always has a charset.
   */
  params: MimeParam[];
  id: string | null;
  description: string | null;
  /** Upper-cased Content-Transfer-Encoding, "7BIT" by default. */
  encoding: string;
  /** Octets of the body. */
  size: number;
  /** Lines of the body (LF count) for text/* and message/rfc822, otherwise null. */
  lines: number | null;
  md5: string | null;
  disposition: ContentDisposition | null;
  language: string[] | null;
  location: string | null;
  /** Decoded file name from Content-Disposition filename or Content-Type name, if any. */
  filename: string | null;
  headerStart: number;
  bodyStart: number;
  end: number;
  /** Sub-parts of a multipart whose delimiters were found; null for a leaf. */
  children: BodyPart[] | null;
  /** The encapsulated message of a message/rfc822 part; null otherwise. */
  message: EncapsulatedMessage | null;
}

/** Decoded values for SEARCH, computed once. */
export interface SearchableFields {
  subject: string;
  from: string;
  to: string;
  cc: string;
  bcc: string;
  messageId: string;
  inReplyTo: string;
  references: string[];
  /** ISO 8601 instant of the Date header, null if absent or unparseable. */
  date: string | null;
  /** Decoded text of the text/plain and text/html parts, at most SEARCHABLE_TEXT_LIMIT characters. */
  text: string;
}

export interface MessageStructure {
  envelope: Envelope;
  body: BodyPart;
  /** Octets of the message header including the blank line: BODY[HEADER] is raw[0, headerBytes). */
  headerBytes: number;
  /** Octets of the whole message. */
  size: number;
  searchable: SearchableFields;
}
