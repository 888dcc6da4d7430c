import { SaxesParser } from 'saxes';

export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CALENDARSERVER = 'http://calendarserver.org/ns/';
export const APPLE_ICAL = 'http://apple.com/ns/ical/';
/** Mailroom's own elements, e.g. the human-readable message in a DAV:error body. */
export const MAILROOM = 'urn:mailroom:dav';

/** A parsed element: namespace-resolved name, attributes by local name, element children and text. */
export interface XmlElement {
  readonly ns: string;
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

export class XmlParseError extends Error {
  override name = 'XmlParseError';
}

const maxDepth = 64;

/**
 * Parses a request body with namespaces resolved (WebDAV compares names by namespace URI, never
 * by prefix: RFC 4918 §8.1). A DOCTYPE is refused outright, so no DTD, entity expansion or
 * external reference is ever processed (RFC 4918 §20.6).
 */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  interface Building { ns: string; name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (err) => { failure ??= new XmlParseError(err.message); });
  parser.on('doctype', () => { failure ??= new XmlParseError('DOCTYPE declarations are not accepted.'); });
  parser.on('opentag', (tag) => {
    if (stack.length >= maxDepth) { failure ??= new XmlParseError(`The XML nests deeper than ${maxDepth} elements.`); return; }
    const attrs: Record<string, string> = {};
    for (const attr of Object.values(tag.attributes)) {
      if (typeof attr === 'object' && attr.prefix !== 'xmlns' && attr.name !== 'xmlns') attrs[attr.local] = attr.value;
    }
    stack.push({ ns: tag.uri ?? '', name: tag.local ?? tag.name, attrs, children: [], text: '' });
  });
  parser.on('text', (t) => { const top = stack.at(-1); if (top) top.text += t; });
  parser.on('cdata', (t) => { const top = stack.at(-1); if (top) top.text += t; });
  parser.on('closetag', () => {
    const done = stack.pop();
    if (!done) return;
    const element: XmlElement = done;
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
  });
  try {
    parser.write(text);
    if (!failure) parser.close();
  } catch (err) {
    failure ??= new XmlParseError(err instanceof Error ? err.message : String(err));
  }
  if (failure) throw failure;
  if (!root) throw new XmlParseError('The body holds no XML element.');
  return root;
}

export const isElement = (el: XmlElement | undefined, ns: string, name: string): boolean => el !== undefined && el.ns === ns && el.name === name;
export const childOf = (el: XmlElement, ns: string, name: string): XmlElement | undefined => el.children.find((c) => c.ns === ns && c.name === name);
export const childrenOf = (el: XmlElement, ns: string, name: string): XmlElement[] => el.children.filter((c) => c.ns === ns && c.name === name);

/** An element to serialize: text, or child elements (never both). */
export interface XmlNode {
  readonly ns: string;
  readonly name: string;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly children?: readonly XmlNode[];
  readonly text?: string;
}

export function node(ns: string, name: string, content?: string | readonly XmlNode[], attrs?: Record<string, string>): XmlNode {
  if (typeof content === 'string') return { ns, name, text: content, ...(attrs ? { attrs } : {}) };
  return { ns, name, children: content ?? [], ...(attrs ? { attrs } : {}) };
}

/** Escapes text for element content; attribute values also escape the double quote. */
export const escapeXml = (s: string, attribute = false): string =>
  s.replace(attribute ? /[&<>"]/g : /[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    // XML 1.0 §2.2: characters outside Char cannot be written at all; carriage returns would be normalized away.
    .replace(/\r/g, '&#13;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

const wellKnownPrefixes: Record<string, string> = { [DAV]: 'd', [CALDAV]: 'cal', [CALENDARSERVER]: 'cs', [APPLE_ICAL]: 'ical', [MAILROOM]: 'mr' };

/** Serializes a document; every namespace is declared once on the root element. */
export function serializeXml(root: XmlNode): string {
  const prefixes = new Map<string, string>(Object.entries(wellKnownPrefixes));
  const used = new Set<string>();
  const collect = (n: XmlNode): void => {
    used.add(n.ns);
    if (!prefixes.has(n.ns)) prefixes.set(n.ns, `x${prefixes.size - Object.keys(wellKnownPrefixes).length}`);
    for (const child of n.children ?? []) collect(child);
  };
  collect(root);
  const qname = (n: XmlNode): string => (n.ns === '' ? n.name : `${prefixes.get(n.ns)}:${n.name}`);
  const write = (n: XmlNode, top: boolean): string => {
    let attrs = '';
    if (top) {
      for (const ns of used) if (ns !== '') attrs += ` xmlns:${prefixes.get(ns)}="${escapeXml(ns, true)}"`;
    }
    for (const [key, value] of Object.entries(n.attrs ?? {})) attrs += ` ${key}="${escapeXml(value, true)}"`;
    const inner = n.text !== undefined ? escapeXml(n.text) : (n.children ?? []).map((c) => write(c, false)).join('');
    return inner === '' ? `<${qname(n)}${attrs}/>` : `<${qname(n)}${attrs}>${inner}</${qname(n)}>`;
  };
  return `<?xml version="1.0" encoding="utf-8"?>\n${write(root, true)}`;
}

/** Clark notation, "{ns}name": a property's identity. */
export const clark = (ns: string, name: string): string => `{${ns}}${name}`;
