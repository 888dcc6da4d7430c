import type { Kysely } from 'kysely';
import { newId, nowIso } from '../core/ids.js';
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

/** Records one change. Called inside the transaction that makes the change, so both land or neither does. */
export async function recordAudit(db: Db, entry: NewAuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    id: newId(),
    at: nowIso(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
  }).execute();
}

export interface AuditQuery { target?: string; actor?: string; action?: string; since?: string; limit?: number }

export async function listAudit(db: Db, query: AuditQuery): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit ?? 500);
  if (query.target) q = q.where((eb) => eb(eb.fn('lower', ['target']), '=', query.target!.toLowerCase()));
  if (query.actor) q = q.where((eb) => eb(eb.fn('lower', ['actor']), '=', query.actor!.toLowerCase()));
  if (query.action) q = q.where('action', 'like', `${query.action}%`);
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
