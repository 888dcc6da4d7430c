import { sql, type Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import type { Database } from '../store/sql/schema.js';

type Db = Kysely<Database>;

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
}

export interface NewAuditEntry { actor: string; action: string; target: string | null; before?: unknown; after?: unknown }

let sequence = 0;

/** Ids sort in the order entries were written (time, then a per-process counter), so "newest first" is exact. */
function auditId(now: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${now.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}-${newId()}`;
}

/** Records one change. Called inside the transaction that makes the change, so both land or neither does. */
export async function recordAudit(db: Db, entry: NewAuditEntry): Promise<void> {
  const now = Date.now();
  await db.insertInto('audit_log').values({
    id: auditId(now),
    at: new Date(now).toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
  }).execute();
}

export interface AuditQuery { target?: string; actor?: string; action?: string; since?: string; limit?: number }

export async function listAudit(db: Db, query: AuditQuery): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(query.limit ?? 500);
  if (query.target) q = q.where((eb) => eb(eb.fn('lower', ['target']), '=', query.target!.toLowerCase()));
  if (query.actor) q = q.where((eb) => eb(eb.fn('lower', ['actor']), '=', query.actor!.toLowerCase()));
  if (query.action) {
    // A literal prefix, case-insensitive like the other filters: LIKE differs between SQLite (ignores case, no
    // escape character) and PostgreSQL (case-sensitive, backslash escapes), so both are spelled out.
    const prefix = `${query.action.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`lower(action) like ${prefix} escape '\\'`);
  }
  if (query.since) q = q.where('at', '>=', query.since);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    before: r.before_json === null ? null : JSON.parse(r.before_json) as unknown,
    after: r.after_json === null ? null : JSON.parse(r.after_json) as unknown,
  }));
}
