import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AccountLocked } from '../core/errors.js';
import { messages } from '../core/messages.js';
import type { Database } from '../store/sql/schema.js';
import { authenticate, getRoles, toPrincipal, type Principal } from './accounts.js';
import { findRecipient, isMailboxKind, type Recipient } from './recipients.js';

type Db = Kysely<Database>;

export interface CredentialCacheOptions {
  /** HMAC key for the cache keys; kept in memory only. Default: random per process. */
  readonly secret?: Buffer | string;
  /** Entries kept at most; the least recently used goes first. */
  readonly maxEntries?: number;
  /** How long a verified password is trusted without running scrypt again. */
  readonly ttlMs?: number;
  /** The full check (scrypt); `authenticate` from accounts.ts unless replaced. */
  readonly verify?: (db: Db, identifier: string, password: string) => Promise<Principal>;
  readonly now?: () => number;
}

interface Entry {
  readonly recipientId: string;
  /** The account's password_changed_at when the password was verified. */
  readonly passwordChangedAt: string;
  readonly expiresAt: number;
}

interface AccountRow { recipient: Recipient; passwordChangedAt: string; signInBlocked: boolean }

/**
 * Signs in with a password for the mail protocols (SMTP AUTH now, IMAP later), remembering
 * passwords it has verified so that a client that authenticates on every connection does not
 * pay a full scrypt each time. A hit re-reads the account (an indexed row) and holds only
 * while the password has not changed since and sign-in is not blocked, so a reset password
 * or a block applies to the very next attempt. Keys are HMACs of address and password under a
 * secret that never leaves the process; neither is stored. Failures are never cached: each
 * wrong password costs a full scrypt, which is what slows down guessing.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Principal>>();
  private readonly secret: Buffer | string;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly verify: NonNullable<CredentialCacheOptions['verify']>;
  private readonly now: () => number;

  constructor(private readonly db: Db, options: CredentialCacheOptions = {}) {
    this.secret = options.secret ?? randomBytes(32);
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.verify = options.verify ?? authenticate;
    this.now = options.now ?? Date.now;
  }

  /** Same answers as `authenticate`: the principal, Unauthenticated, or AccountLocked (checked after the password). */
  async authenticate(identifier: string, password: string): Promise<Principal> {
    const key = createHmac('sha256', this.secret).update(identifier.trim().toLowerCase()).update('\0').update(password).digest('base64url');
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.expiresAt > this.now()) {
        const hit = await this.confirm(key, entry, identifier);
        if (hit) return hit;
      } else this.entries.delete(key);
    }
    // Concurrent sign-ins with the same credentials share one verification.
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const verifying = this.verifyAndRemember(key, identifier, password).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, verifying);
    return verifying;
  }

  /** Number of remembered credentials (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** A cached entry still stands if the identifier leads to the same account, unchanged and not blocked. */
  private async confirm(key: string, entry: Entry, identifier: string): Promise<Principal | undefined> {
    const account = await loadAccount(this.db, identifier);
    if (!account || account.recipient.id !== entry.recipientId || account.passwordChangedAt !== entry.passwordChangedAt) {
      this.entries.delete(key);
      return undefined;
    }
    if (account.signInBlocked) {
      // The password is right (it has not changed since it was verified), so this is what authenticate() would say.
      this.entries.delete(key);
      throw new AccountLocked(messages.accountLocked);
    }
    // Least recently used goes first: a hit moves the entry to the back.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return toPrincipal(account.recipient, await getRoles(this.db, account.recipient.id));
  }

  private async verifyAndRemember(key: string, identifier: string, password: string): Promise<Principal> {
    // Read before verifying: if the password changes in between, the entry carries the old
    // time and the next hit misses, rather than trusting an old password under the new time.
    const before = await loadAccount(this.db, identifier);
    const principal = await this.verify(this.db, identifier, password);
    if (before && before.recipient.id === principal.id) {
      this.entries.set(key, { recipientId: principal.id, passwordChangedAt: before.passwordChangedAt, expiresAt: this.now() + this.ttlMs });
      while (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (oldest.done) break;
        this.entries.delete(oldest.value);
      }
    }
    return principal;
  }
}

async function loadAccount(db: Db, identifier: string): Promise<AccountRow | undefined> {
  const recipient = await findRecipient(db, identifier);
  if (!recipient || !isMailboxKind(recipient.kind)) return undefined;
  const account = await db.selectFrom('accounts').select(['password_changed_at', 'sign_in_blocked'])
    .where('recipient_id', '=', recipient.id).executeTakeFirst();
  return account ? { recipient, passwordChangedAt: account.password_changed_at, signInBlocked: account.sign_in_blocked === 1 } : undefined;
}
