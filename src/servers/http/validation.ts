import { Ajv, type Options } from 'ajv';
import type { FastifyInstance } from 'fastify';

const base: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

/**
 * JSON bodies are validated as they are: `"true"` is not a boolean and `"x"` is not a list,
 * so a client's type error gets a clear 400 instead of a guess. Query strings and path
 * parameters are text by nature and are coerced to the schema's types.
 */
export function installValidators(app: FastifyInstance): void {
  const strict = new Ajv({ ...base, coerceTypes: false });
  const coercing = new Ajv({ ...base, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
