import type { Kysely } from 'kysely';
import type { Principal } from '../../../directory/accounts.js';
import type { MailboxAccessLevel } from '../../../directory/grants.js';
import { DavError, needPrivileges } from '../../../protocol/webdav/errors.js';
import { calendarRights } from '../../../store/calendar/access.js';
import type { ChangeFeed, MailChange } from '../../../store/change-feed.js';
import type { Database } from '../../../store/sql/schema.js';
import type { DavTarget } from './dav-resolve.js';

export interface DavDeps {
  readonly db: Kysely<Database>;
  /** Resolves once every committed change is on disk; awaited before a write is answered. */
  readonly durable: () => Promise<void>;
  readonly feed: ChangeFeed;
}

/** One authenticated DAV request: who asks, what the URL resolved to, and the raw body. */
export interface DavRequest extends DavDeps {
  readonly principal: Principal;
  readonly target: DavTarget;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Durable first, then the change feed: nobody hears of a change that a crash could undo. */
export async function commitChanges(deps: DavDeps, changes: readonly MailChange[]): Promise<void> {
  await deps.durable();
  deps.feed.publish(changes);
}

type Action = 'write' | 'remove';

/**
 * Refuses an action the grant does not allow. The user can see the resource (it has read
 * access), so the answer is 403 naming the missing privilege (RFC 3744 §7.1.1), not 404.
 */
export function requireRight(level: MailboxAccessLevel, action: Action, href: string): void {
  if (calendarRights[action](level)) return;
  const privilege = action === 'write' ? 'write-content' : 'unbind';
  const words = action === 'write' ? 'You have read-only access to this calendar.' : 'You may add and change events in this calendar, but not delete them.';
  throw new DavError(403, words, needPrivileges(href, privilege));
}

export const header = (request: Pick<DavRequest, 'headers'>, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};
