import { DAV, MAILROOM, node, serializeXml, type XmlNode } from './xml.js';

/**
 * A WebDAV/CalDAV failure: the HTTP status, the words a person reads, and the precondition or
 * postcondition element RFC 4918 §16 asks the body to name (e.g. CALDAV:valid-calendar-data).
 */
export class DavError extends Error {
  override name = 'DavError';
  constructor(
    readonly status: number,
    message: string,
    readonly condition?: XmlNode,
  ) {
    super(message);
  }
}

/** The DAV:error body (RFC 4918 §16), with a human-readable explanation beside the condition. */
export function errorBody(error: DavError): string {
  const children: XmlNode[] = error.condition ? [error.condition] : [];
  children.push(node(MAILROOM, 'message', error.message));
  return serializeXml(node(DAV, 'error', children));
}

/** RFC 3744 §7.1.1: which privilege was missing on which resource. */
export function needPrivileges(href: string, privilege: string): XmlNode {
  return node(DAV, 'need-privileges', [
    node(DAV, 'resource', [node(DAV, 'href', href), node(DAV, 'privilege', [node(DAV, privilege)])]),
  ]);
}
