import type { Kysely } from 'kysely';
import { createAccount, hashPassword, setRoles } from '../directory/accounts.js';
import { recordAudit } from '../directory/audit-log.js';
import { addDomain } from '../directory/domains.js';
import { createDefaultSettings } from '../directory/mailbox-settings.js';
import { generatePassword } from '../directory/passwords.js';
import { createRecipient } from '../directory/recipients.js';
import type { Database } from '../store/sql/schema.js';

export interface BootstrapResult {
  created: boolean;
  adminAddress?: string;
  /** Only when the password was generated: printed once, never stored in clear. */
  generatedPassword?: string;
}

/**
 * Creates the organization on first start: the default accepted domain and a Global
 * Administrator. Safe when several nodes start at once on PostgreSQL: the first to claim
 * the "organization" marker does the work, in the same transaction.
 */
export async function ensureOrganization(db: Kysely<Database>, domain: string, adminPassword: string | undefined): Promise<BootstrapResult> {
  const password = adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (tx) => {
    const claimed = await tx.insertInto('meta').values({ key: 'organization', value: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return { created: false };
    await addDomain(tx, domain, true);
    const admin = await createRecipient(tx, { kind: 'user', displayName: 'Administrator', address: `admin@${domain}` });
    await createAccount(tx, admin.id, passwordHash, false);
    await createDefaultSettings(tx, admin.id);
    await setRoles(tx, admin.id, ['global-admin']);
    await recordAudit(tx, { actor: 'system', action: 'organization.create', target: domain, after: { defaultDomain: domain, admin: admin.primaryAddress } });
    return { created: true, adminAddress: admin.primaryAddress, ...(adminPassword ? {} : { generatedPassword: password }) };
  });
}
