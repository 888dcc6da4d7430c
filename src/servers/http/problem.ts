import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ProblemType } from '../../core/errors.js';
import { messages } from '../../core/messages.js';

/** RFC 9457 problem document; `detail` carries the words the user sees. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  field?: string;
}

const titles: Record<ProblemType | 'internal' | 'no-route', string> = {
  'invalid-input': 'Invalid input',
  unauthenticated: 'Sign-in required',
  'account-locked': 'Account locked',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'address-in-use': 'Address already in use',
  'outside-organization': 'Outside the organization',
  'quota-exceeded': 'Quota exceeded',
  internal: 'Internal server error',
  'no-route': 'Not found',
};

export const problemTypeUri = (type: string): string => `urn:mailroom:problem:${type}`;

export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, type: keyof typeof titles, detail: string, field?: string): FastifyReply {
  const body: Problem = { type: problemTypeUri(type), title: titles[type], status, detail, instance: request.url.split('?')[0] ?? request.url };
  if (field) body.field = field;
  if (status === 401) void reply.header('WWW-Authenticate', 'Bearer realm="mailroom", Basic realm="mailroom"');
  return reply.code(status).type('application/problem+json').send(body);
}

/** Maps every error to a problem document; the cause of an unexpected error goes to the log only. */
export function problemErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof DomainError) {
    const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
    return sendProblem(reply, request, error.status, error.type, error.message, field);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const detail = fastifyError.validation
      .map((v) => `${(v.instancePath || fastifyError.validationContext || 'request').replace(/^\//, '').replace(/\//g, '.')} ${validationMessage(v)}`)
      .join('; ');
    return sendProblem(reply, request, 400, 'invalid-input', `Invalid input: ${detail}.`);
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return sendProblem(reply, request, fastifyError.statusCode, 'invalid-input', fastifyError.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, request, 500, 'internal', 'Something went wrong on the server. The error has been logged.');
}

/** Ajv's words, except where they hide what to fix: an unknown property is named, the allowed values are listed. */
function validationMessage(v: NonNullable<FastifyError['validation']>[number]): string {
  const unknown = v.keyword === 'additionalProperties' ? v.params.additionalProperty : undefined;
  if (typeof unknown === 'string') return `has an unknown property "${unknown}"`;
  const allowed = v.keyword === 'enum' ? v.params.allowedValues : undefined;
  if (Array.isArray(allowed)) return `must be one of: ${allowed.join(', ')}`;
  return v.message ?? 'is invalid';
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, request, 404, 'no-route', `There is no ${request.method} ${request.url.split('?')[0]}.`);
}

