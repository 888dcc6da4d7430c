import type { Compilable, CompiledQuery, Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

const marker = '\u0000mailroom-parameter:';

/**
 * A query built and compiled once per SQL dialect, then run with new parameter values. Building
 * a query with Kysely's builders costs more than SQLite takes to run a simple indexed SELECT
 * (profiles showed ~10% of the server's CPU in operation-node visitors and freezes), so the
 * statements run for every SMTP session are compiled once. `param(name)` stands for a value
 * supplied at each execution; anything else in the builder is a constant of the query.
 */
export function precompiled<P extends Record<string, unknown>, R>(
  build: (db: Db, param: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R> | RawBuilder<R>,
): (db: Db, params: P) => Promise<R[]> {
  // Keyed by the dialect's adapter class: the SQL text depends on the dialect only (no plugins are used).
  const compiledByDialect = new Map<unknown, { query: CompiledQuery<R>; slots: ({ name: keyof P } | { value: unknown })[] }>();
  return async (db, params) => {
    const dialect = db.getExecutor().adapter.constructor;
    let compiled = compiledByDialect.get(dialect);
    if (!compiled) {
      const built = build(db, (name) => `${marker}${name}` as never);
      const query = 'isRawBuilder' in built ? built.compile(db) : built.compile();
      const slots = query.parameters.map((value) => typeof value === 'string' && value.startsWith(marker)
        ? { name: value.slice(marker.length) as keyof P }
        : { value });
      compiled = { query, slots };
      compiledByDialect.set(dialect, compiled);
    }
    const parameters = compiled.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value));
    const result = await db.executeQuery<R>({ ...compiled.query, parameters });
    return result.rows;
  };
}
