import { sql, type Kysely } from 'kysely';
import { parseAddress, type Address } from '../core/address.js';
import { Conflict, InvalidInput, NotFound } from '../core/errors.js';
import { newId, nowIso } from '../core/ids.js';
import { messages } from '../core/messages.js';
import type { Database, RecipientKind, RecipientTable } from '../store/sql/schema.js';
import { isAcceptedDomain } from './domains.js';

type Db = Kysely<Database>;

export interface Recipient {
  readonly id: string;
  readonly kind: RecipientKind;
  readonly displayName: string;
  readonly alias: string;
  readonly primaryAddress: string;
  /** Proxy addresses other than the primary one. */
  readonly proxyAddresses: string[];
  readonly hidden: boolean;
  readonly mailEnabled: boolean;
  readonly createdAt: string;
}

export const isMailboxKind = (kind: RecipientKind): kind is 'user' | 'shared' => kind === 'user' || kind === 'shared';
export const isGroupKind = (kind: RecipientKind): kind is 'distribution' | 'security' => kind === 'distribution' || kind === 'security';

async function toRecipient(db: Db, row: RecipientTable): Promise<Recipient> {
  const addresses = await db.selectFrom('addresses').select('address').where('recipient_id', '=', row.id).orderBy('address').execute();
  return {
    id: row.id,
    kind: row.kind,
    displayName: row.display_name,
    alias: row.alias,
    primaryAddress: row.primary_address,
    proxyAddresses: addresses.map((a) => a.address).filter((a) => a.toLowerCase() !== row.primary_address.toLowerCase()),
    hidden: row.hidden === 1,
    mailEnabled: row.mail_enabled === 1,
    createdAt: row.created_at,
  };
}

export async function getRecipientById(db: Db, id: string): Promise<Recipient | undefined> {
  const row = await db.selectFrom('recipients').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecipient(db, row) : undefined;
}

/** Finds a recipient by any of its addresses (case-insensitive) or, without an "@", by its alias. */
export async function findRecipient(db: Db, identifier: string): Promise<Recipient | undefined> {
  const key = identifier.trim().toLowerCase();
  if (key.includes('@')) {
    const row = await db.selectFrom('addresses').innerJoin('recipients', 'recipients.id', 'addresses.recipient_id')
      .selectAll('recipients').where('addresses.address_key', '=', key).executeTakeFirst();
    return row ? toRecipient(db, row) : undefined;
  }
  const rows = await db.selectFrom('recipients').selectAll().where((eb) => eb(eb.fn('lower', ['alias']), '=', key)).limit(2).execute();
  return rows.length === 1 && rows[0] ? toRecipient(db, rows[0]) : undefined;
}

export async function requireRecipient(db: Db, identifier: string, kinds?: readonly RecipientKind[]): Promise<Recipient> {
  const recipient = await findRecipient(db, identifier);
  if (!recipient || (kinds && !kinds.includes(recipient.kind))) throw new NotFound(messages.unknownRecipient(identifier));
  return recipient;
}

export interface RecipientQuery { kinds?: readonly RecipientKind[]; search?: string }

export async function listRecipients(db: Db, query: RecipientQuery = {}): Promise<Recipient[]> {
  let q = db.selectFrom('recipients').selectAll().orderBy('display_name').orderBy('primary_address');
  if (query.kinds && query.kinds.length > 0) q = q.where('kind', 'in', [...query.kinds]);
  if (query.search) {
    const pattern = `%${query.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    // SQLite's LIKE has no escape character unless one is named (PostgreSQL's is a backslash): name it on both.
    const like = (column: 'display_name' | 'primary_address') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    q = q.where((eb) => eb.or([like('display_name'), like('primary_address')]));
  }
  const rows = await q.execute();
  return Promise.all(rows.map((row) => toRecipient(db, row)));
}

/** Refuses an address outside the accepted domains or already used by any recipient (RFC 5321 §2.4: compared case-insensitively here by policy). */
export async function assertAddressAvailable(db: Db, address: Address): Promise<void> {
  if (!(await isAcceptedDomain(db, address.domain))) throw new InvalidInput(messages.domainNotAccepted(address.domain), 'address');
  const owner = await db.selectFrom('addresses').innerJoin('recipients', 'recipients.id', 'addresses.recipient_id')
    .select('recipients.display_name').where('addresses.address_key', '=', address.key).executeTakeFirst();
  if (owner) throw new Conflict(messages.proxyAddressInUse(address.address, owner.display_name), 'address-in-use', 'address');
}

export interface NewRecipient {
  kind: RecipientKind;
  displayName: string;
  address: string;
  hidden?: boolean;
  mailEnabled?: boolean;
}

export async function createRecipient(db: Db, input: NewRecipient): Promise<Recipient> {
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 256) throw new InvalidInput('A display name of 1 to 256 characters is required.', 'name');
  const address = parseAddress(input.address);
  await assertAddressAvailable(db, address);
  const id = newId();
  await db.insertInto('recipients').values({
    id,
    kind: input.kind,
    display_name: displayName,
    alias: address.localPart,
    primary_address: address.address,
    hidden: input.hidden ? 1 : 0,
    mail_enabled: input.mailEnabled === false ? 0 : 1,
    created_at: nowIso(),
  }).execute();
  await db.insertInto('addresses').values({ address_key: address.key, address: address.address, domain: address.domain, recipient_id: id }).execute();
  const created = await getRecipientById(db, id);
  if (!created) throw new Error('recipient vanished after insert');
  return created;
}

export async function addProxyAddress(db: Db, recipient: Recipient, input: string): Promise<void> {
  const address = parseAddress(input);
  await assertAddressAvailable(db, address);
  await db.insertInto('addresses').values({ address_key: address.key, address: address.address, domain: address.domain, recipient_id: recipient.id }).execute();
}

export async function removeProxyAddress(db: Db, recipient: Recipient, input: string): Promise<void> {
  const key = input.trim().toLowerCase();
  if (key === recipient.primaryAddress.toLowerCase()) {
    throw new InvalidInput(`"${input}" is the primary address of "${recipient.displayName}" and can't be removed.`, 'address');
  }
  const removed = await db.deleteFrom('addresses').where('address_key', '=', key).where('recipient_id', '=', recipient.id).executeTakeFirst();
  if (Number(removed.numDeletedRows) === 0) throw new NotFound(`"${input}" is not an address of "${recipient.displayName}".`);
}

export async function updateRecipient(db: Db, id: string, changes: Partial<Pick<RecipientTable, 'kind' | 'display_name' | 'hidden'>>): Promise<void> {
  await db.updateTable('recipients').set(changes).where('id', '=', id).execute();
}

export async function removeRecipient(db: Db, id: string): Promise<void> {
  await db.deleteFrom('recipients').where('id', '=', id).execute();
}
