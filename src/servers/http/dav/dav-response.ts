import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { DavError, errorBody } from '../../../protocol/webdav/errors.js';
import type { PropName, PropRequest } from '../../../protocol/webdav/requests.js';
import { DAV, clark, node, serializeXml, type XmlNode } from '../../../protocol/webdav/xml.js';
import type { DavResource } from './dav-properties.js';

export const xmlType = 'application/xml; charset=utf-8';

export const statusLine = (code: number): string => `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`;

const hrefNode = (href: string): XmlNode => node(DAV, 'href', href);

function propNode(name: PropName, value: string | readonly XmlNode[] | undefined): XmlNode {
  return value === undefined ? node(name.ns, name.name) : node(name.ns, name.name, value);
}

function propstat(status: number, props: XmlNode[]): XmlNode {
  return node(DAV, 'propstat', [node(DAV, 'prop', props), node(DAV, 'status', statusLine(status))]);
}

/** One DAV:response with the properties asked for: found ones under 200, unknown ones under 404 (RFC 4918 §9.1). */
export function propstatResponse(resource: DavResource, request: PropRequest): XmlNode {
  const found: XmlNode[] = [];
  const missing: XmlNode[] = [];
  if (request.kind === 'propname') {
    for (const key of resource.props.keys()) {
      const m = /^\{(.*)\}(.*)$/.exec(key);
      if (m) found.push(node(m[1]!, m[2]!));
    }
  } else {
    const names: PropName[] = request.kind === 'prop' ? [...request.props] : [
      ...[...resource.allprop].map((key) => { const m = /^\{(.*)\}(.*)$/.exec(key)!; return { ns: m[1]!, name: m[2]! }; }),
      ...request.include.filter((p) => !resource.allprop.has(clark(p.ns, p.name))),
    ];
    for (const name of names) {
      const value = resource.props.get(clark(name.ns, name.name));
      if (value === undefined) {
        if (request.kind === 'prop') missing.push(propNode(name, undefined));
      } else found.push(propNode(name, value));
    }
  }
  const stats: XmlNode[] = [];
  if (found.length > 0 || missing.length === 0) stats.push(propstat(200, found));
  if (missing.length > 0) stats.push(propstat(404, missing));
  return node(DAV, 'response', [hrefNode(resource.href), ...stats]);
}

/** A DAV:response carrying only a status, e.g. a removed member in sync-collection (RFC 6578 §3.5.2). */
export function statusResponse(href: string, status: number): XmlNode {
  return node(DAV, 'response', [hrefNode(href), node(DAV, 'status', statusLine(status))]);
}

export function multistatusXml(responses: readonly XmlNode[], syncTokenValue?: string): string {
  const children = [...responses];
  if (syncTokenValue !== undefined) children.push(node(DAV, 'sync-token', syncTokenValue));
  return serializeXml(node(DAV, 'multistatus', children));
}

export function sendMultistatus(reply: FastifyReply, responses: readonly XmlNode[], syncTokenValue?: string): FastifyReply {
  return reply.code(207).type(xmlType).send(multistatusXml(responses, syncTokenValue));
}

export function sendDavError(reply: FastifyReply, error: DavError): FastifyReply {
  return reply.code(error.status).type(xmlType).send(errorBody(error));
}
