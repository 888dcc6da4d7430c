import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { parseAddress } from '../../../core/address.js';
import { DomainError } from '../../../core/errors.js';
import { defaultDomain, isAcceptedDomain } from '../../../directory/domains.js';
import { childOf, parseXml, type XmlElement } from '../../../protocol/webdav/xml.js';
import type { Database } from '../../../store/sql/schema.js';
import { autodiscoverError, autodiscoverResponse, requestSchema } from './autodiscover.js';
import type { ClientSettings } from './client-settings.js';
import { mobileconfig } from './mobileconfig.js';
import { thunderbirdConfig } from './thunderbird.js';

export interface AutoconfigDeps {
  readonly db: Kysely<Database>;
  readonly settings: ClientSettings;
}

/**
 * An address in one of our accepted domains, or null. The directory is not consulted: the
 * documents are the same for every address of a domain, so they reveal nothing about who exists.
 */
async function ourAddress(db: Kysely<Database>, input: string | undefined): Promise<string | null> {
  if (!input) return null;
  try {
    const address = parseAddress(input);
    return (await isAcceptedDomain(db, address.domain)) ? address.address : null;
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

const text = (el: XmlElement | undefined): string | undefined => el?.text.trim();

/** Thunderbird autoconfig, Outlook autodiscover (POX) and the Apple configuration profile; no sign-in needed. */
export async function registerAutoconfig(app: FastifyInstance, deps: AutoconfigDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));

    const thunderbird = async (query: { emailaddress?: string }, reply: FastifyReply) => {
      const address = await ourAddress(deps.db, query.emailaddress);
      if (query.emailaddress !== undefined && address === null) return reply.code(404).type('text/plain').send('No configuration for that address.\n');
      const domain = address?.split('@')[1] ?? await defaultDomain(deps.db);
      return reply.type('application/xml; charset=utf-8').header('Cache-Control', 'no-cache').send(thunderbirdConfig(deps.settings, domain, address));
    };
    scope.get<{ Querystring: { emailaddress?: string } }>('/.well-known/autoconfig/mail/config-v1.1.xml', async (request, reply) => thunderbird(request.query, reply));
    scope.get<{ Querystring: { emailaddress?: string } }>('/mail/config-v1.1.xml', async (request, reply) => thunderbird(request.query, reply));

    const autodiscover = async (body: unknown, reply: FastifyReply) => {
      let email: string | undefined;
      try {
        const root = parseXml(typeof body === 'string' ? body : '');
        const request = root.ns === requestSchema && root.name === 'Autodiscover' ? childOf(root, requestSchema, 'Request') : undefined;
        email = request ? text(childOf(request, requestSchema, 'EMailAddress')) : undefined;
      } catch {
        email = undefined;
      }
      const address = await ourAddress(deps.db, email);
      void reply.type('application/xml; charset=utf-8');
      if (!address) return reply.code(email ? 200 : 400).send(autodiscoverError(600, email ? 'No configuration for that address.' : 'Invalid Request'));
      return reply.send(autodiscoverResponse(deps.settings, address));
    };
    for (const url of ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml']) {
      scope.post(url, async (request, reply) => autodiscover(request.body, reply));
    }

    scope.get<{ Querystring: { address?: string } }>('/apple/mobileconfig', async (request, reply) => {
      const address = await ourAddress(deps.db, request.query.address);
      if (!address) return reply.code(404).type('text/plain').send('Give ?address= with an address of this organization.\n');
      return reply.type('application/x-apple-aspen-config')
        .header('Content-Disposition', `attachment; filename="${address.replace(/[^A-Za-z0-9@._-]/g, '_')}.mobileconfig"`)
        .send(mobileconfig(deps.settings, address));
    });
  });
}
