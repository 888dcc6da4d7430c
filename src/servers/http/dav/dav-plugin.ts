import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../core/errors.js';
import { CredentialCache } from '../../../directory/credential-cache.js';
import { DavError } from '../../../protocol/webdav/errors.js';
import { parseXml, XmlParseError, type XmlElement } from '../../../protocol/webdav/xml.js';
import type { DavDeps, DavRequest } from './dav-context.js';
import { challenge, davSignIn } from './dav-auth.js';
import { deleteResource, putCalendarObject, readObject } from './dav-objects.js';
import { davRoot, parseDavPath } from './dav-paths.js';
import { mkcalendar, propfind, proppatch } from './dav-propfind.js';
import { report } from './dav-report.js';
import { freeBusyRequest } from './dav-schedule.js';
import { resolveTarget } from './dav-resolve.js';
import { sendDavError, sendMultistatus } from './dav-response.js';

/** WebDAV and CalDAV methods Fastify does not route by default; all carry a body. */
const davMethods = ['PROPFIND', 'PROPPATCH', 'MKCALENDAR', 'REPORT', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK'] as const;
const allowed = 'OPTIONS, GET, HEAD, PUT, POST, DELETE, PROPFIND, PROPPATCH, MKCALENDAR, REPORT';
/** Largest request body: an event is capped lower (CALDAV:max-resource-size); a multiget of many hrefs needs room. */
export const davBodyLimit = 1024 * 1024;

function parseBody(text: string): XmlElement | null {
  if (text.trim() === '') return null;
  try {
    return parseXml(text);
  } catch (err) {
    if (err instanceof XmlParseError) throw new DavError(400, `The request body is not well-formed XML: ${err.message}`);
    throw err;
  }
}

/** Errors before or outside a handler (body too large, unsupported encoding) answered as WebDAV errors. */
function davErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DavError) return sendDavError(reply, error);
  if (error instanceof DomainError && error.status < 500) return sendDavError(reply, new DavError(error.status, error.message));
  const status = (error as FastifyError).statusCode;
  if (status === 413) return sendDavError(reply, new DavError(413, `The request body is larger than ${davBodyLimit} bytes.`));
  if (status !== undefined && status >= 400 && status < 500) return sendDavError(reply, new DavError(status, error.message));
  request.log.error({ err: error }, 'unhandled DAV error');
  return sendDavError(reply, new DavError(500, 'Something went wrong on the server. The error has been logged.'));
}

async function handle(deps: DavDeps, credentials: CredentialCache, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  // RFC 4791 §5.1: calendar-access in the DAV header; class 3 (RFC 4918 §18.3), no locking (class 2).
  void reply.header('DAV', '1, 3, calendar-access').header('Allow', allowed);
  if (request.method === 'OPTIONS') return reply.code(200).send();
  const signIn = await davSignIn(credentials, request);
  if ('status' in signIn) {
    if (signIn.status === 401) challenge(reply);
    return sendDavError(reply, new DavError(signIn.status, signIn.message));
  }
  const path = parseDavPath(request.url);
  const target = await resolveTarget(deps.db, signIn.principal, path);
  const davRequest: DavRequest = { ...deps, principal: signIn.principal, target, headers: request.headers, body: typeof request.body === 'string' ? request.body : '' };
  const pathOnly = request.url.split('?')[0] ?? request.url;
  switch (request.method) {
    case 'PROPFIND':
      return sendMultistatus(reply, await propfind(davRequest, parseBody, pathOnly.endsWith('/') ? pathOnly : `${pathOnly}/`));
    case 'PROPPATCH':
      return sendMultistatus(reply, await proppatch(davRequest, parseBody, pathOnly));
    case 'MKCALENDAR':
      await mkcalendar(davRequest, parseBody);
      return reply.code(201).header('Cache-Control', 'no-cache').send();
    case 'REPORT': {
      const answer = await report(davRequest, parseBody);
      if (answer.kind === 'calendar') return reply.code(200).type('text/calendar; charset=utf-8').send(answer.body);
      return sendMultistatus(reply, answer.responses, answer.syncToken);
    }
    case 'GET':
    case 'HEAD': {
      const object = await readObject(davRequest);
      void reply.header('ETag', object.etag).header('Last-Modified', new Date(object.updatedAt).toUTCString()).type('text/calendar; charset=utf-8');
      if (request.headers['if-none-match']?.split(',').map((t) => t.trim()).includes(object.etag)) return reply.code(304).send();
      return reply.code(200).send(request.method === 'HEAD' ? undefined : object.ical);
    }
    case 'PUT': {
      const stored = await putCalendarObject(davRequest);
      return reply.code(stored.created ? 201 : 204).header('ETag', stored.etag).send();
    }
    case 'POST':
      return reply.code(200).type('application/xml; charset=utf-8').send(await freeBusyRequest(davRequest));
    case 'DELETE':
      await deleteResource(davRequest);
      return reply.code(204).send();
    case 'MKCOL':
      throw new DavError(403, 'Use MKCALENDAR to make a calendar; plain collections are not supported.');
    default:
      throw new DavError(405, `${request.method} is not supported here.`);
  }
}

/**
 * CalDAV (RFC 4791) on WebDAV (RFC 4918) under /dav/, and service discovery (RFC 6764). Its own
 * body parsers (iCalendar and XML are read as text), its own Basic sign-in and its own error
 * format (DAV:error bodies) are scoped to this plugin; the API keeps its JSON and problem documents.
 */
export async function registerDav(app: FastifyInstance, deps: DavDeps): Promise<void> {
  for (const method of davMethods) app.addHttpMethod(method, { hasBody: true });
  const credentials = new CredentialCache(deps.db);
  await app.register(async (dav) => {
    dav.removeAllContentTypeParsers();
    dav.addContentTypeParser('*', { parseAs: 'string', bodyLimit: davBodyLimit }, (_request, body, done) => done(null, body));
    dav.setErrorHandler(davErrorHandler);
    // RFC 6764 §5: the well-known URI redirects to the context path (301, 303 or 307), for every method a client may try.
    dav.route({
      method: ['GET', 'HEAD', 'PROPFIND', 'OPTIONS', 'REPORT'],
      url: '/.well-known/caldav',
      exposeHeadRoute: false,
      bodyLimit: davBodyLimit,
      // 301 for GET; 307 for the rest, so that clients repeat a PROPFIND with its body (RFC 9110 §15.4.8).
      handler: async (request, reply) => reply.code(request.method === 'GET' || request.method === 'HEAD' ? 301 : 307).header('Location', davRoot).send(),
    });
    const handler = (request: FastifyRequest, reply: FastifyReply) => handle(deps, credentials, request, reply);
    const methods = ['OPTIONS', 'GET', 'HEAD', 'PUT', 'POST', 'DELETE', ...davMethods];
    dav.route({ method: methods, url: '/dav', exposeHeadRoute: false, bodyLimit: davBodyLimit, handler });
    dav.route({ method: methods, url: '/dav/*', exposeHeadRoute: false, bodyLimit: davBodyLimit, handler });
  });
}
