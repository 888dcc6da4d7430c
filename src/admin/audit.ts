import { InvalidInput } from '../core/errors.js';
import { listAudit, type AuditEntry, type AuditQuery } from '../directory/audit-log.js';
import { requireAdmin, type AdminContext } from './context.js';

export async function listAuditEntries(ctx: AdminContext, query: AuditQuery): Promise<AuditEntry[]> {
  requireAdmin(ctx.actor, 'recipients');
  if (query.since !== undefined) {
    const since = Date.parse(query.since);
    if (Number.isNaN(since)) throw new InvalidInput(`"${query.since}" is not an ISO 8601 time.`, 'since');
    query = { ...query, since: new Date(since).toISOString() };
  }
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 10000)) {
    throw new InvalidInput('The limit is a whole number from 1 to 10000.', 'limit');
  }
  return listAudit(ctx.db, query);
}
