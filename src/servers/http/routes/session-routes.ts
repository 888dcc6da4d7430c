import type { FastifyInstance } from 'fastify';
import { signIn } from '../../../admin/sign-in.js';
import { revokeToken } from '../../../directory/tokens.js';
import { requirePrincipal } from '../authentication.js';
import type { ApiDeps } from './api-deps.js';

export function registerSessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: { address: string; password: string } }>('/auth/token', {
    config: { public: true },
    schema: {
      tags: ['Session'],
      summary: 'Sign in with address and password; returns an expiring bearer token',
      body: {
        type: 'object',
        required: ['address', 'password'],
        additionalProperties: false,
        properties: { address: { type: 'string', minLength: 1, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
      },
    },
  }, async (request, reply) => {
    const result = await signIn(deps.db, request.body.address, request.body.password, deps.tokenTtlSeconds);
    return reply.code(201).send(result);
  });

  app.delete('/auth/token', { schema: { tags: ['Session'], summary: 'Sign out: revoke the bearer token used for this request' } }, async (request, reply) => {
    requirePrincipal(request);
    const [scheme, token] = (request.headers.authorization ?? '').split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer' && token) await revokeToken(deps.db, token);
    return reply.code(204).send();
  });

  app.get('/me', { schema: { tags: ['Session'], summary: 'The signed-in principal and its roles' } }, async (request) => requirePrincipal(request));
}
