import type { Session } from './session.js';

/**
 * Subscriptions (RFC 3501 §6.3.6, §6.3.9), per principal and by name. Folders start subscribed:
 * every folder of the personal namespace and every folder of an automapped shared mailbox, so
 * clients that show only subscribed folders (Thunderbird, many phones) show them with no setup.
 * A row with subscribed = 0 records an explicit UNSUBSCRIBE of such a name; a row with 1 a
 * subscription to any other name (even one that does not exist, RFC 3501 §6.3.6).
 */
export interface SubscriptionState {
  /** Names the principal subscribed to explicitly. */
  readonly subscribed: ReadonlySet<string>;
  /** Names the principal unsubscribed from explicitly. */
  readonly unsubscribed: ReadonlySet<string>;
}

export async function loadSubscriptions(session: Session): Promise<SubscriptionState> {
  const principal = session.principal;
  const subscribed = new Set<string>();
  const unsubscribed = new Set<string>();
  if (!principal) return { subscribed, unsubscribed };
  const rows = await session.deps.db.selectFrom('imap_subscriptions').select(['name', 'subscribed'])
    .where('principal_id', '=', subscriptionOwner(session)).execute();
  for (const row of rows) (row.subscribed === 1 ? subscribed : unsubscribed).add(row.name);
  return { subscribed, unsubscribed };
}

/**
 * Whose list a session reads: the user's own; in a delegated login (where the personal namespace
 * is the shared mailbox) the shared mailbox's, which its delegated logins share.
 */
export function subscriptionOwner(session: Session): string {
  return session.home?.delegated ? session.home.id : session.principal!.id;
}

export async function setSubscription(session: Session, name: string, subscribed: boolean): Promise<void> {
  const row = { principal_id: subscriptionOwner(session), name, subscribed: subscribed ? 1 : 0 };
  await session.deps.db.insertInto('imap_subscriptions').values(row)
    .onConflict((oc) => oc.columns(['principal_id', 'name']).doUpdateSet({ subscribed: row.subscribed })).execute();
}

export function isSubscribed(state: SubscriptionState, name: string, subscribedByDefault: boolean): boolean {
  if (state.subscribed.has(name)) return true;
  if (state.unsubscribed.has(name)) return false;
  return subscribedByDefault;
}
