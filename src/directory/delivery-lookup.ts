import { sql, type Kysely } from 'kysely';
import { precompiled } from '../store/sql/precompiled.js';
import type { Database, MailboxSettingsTable, RecipientKind } from '../store/sql/schema.js';
import { toSettings, type MailboxSettings } from './mailbox-settings.js';

type Db = Kysely<Database>;

/**
 * A mailbox as delivery needs it, read in one statement with everything the pipeline asks
 * about: its settings (quota, forwarding, automatic replies), its usage and its INBOX. Always
 * read from the database, never cached across messages, so a change of address, membership or
 * setting applies to the very next message.
 */
export interface DeliveryMailbox {
  readonly id: string;
  readonly kind: 'user' | 'shared';
  readonly displayName: string;
  readonly primaryAddress: string;
  readonly settings: MailboxSettings;
  readonly usage: { readonly bytes: number; readonly messages: number; readonly warned: boolean };
  /** Null until the mailbox's default folders are created (on first use). */
  readonly inboxId: string | null;
}

/** What an address means for delivery (the same cases as resolveAddress, with the mailbox loaded). */
export type DeliveryResolution =
  | { kind: 'mailbox'; mailbox: DeliveryMailbox }
  | { kind: 'group'; groupId: string }
  | { kind: 'not-mail-enabled' }
  | { kind: 'unknown-recipient' }
  | { kind: 'remote' };

interface RecipientRow {
  id: string | null;
  kind: RecipientKind | null;
  display_name: string | null;
  primary_address: string | null;
  mail_enabled: number | null;
  hidden: number | null;
}
type SettingsRow = { [K in keyof MailboxSettingsTable as `s_${K}`]: MailboxSettingsTable[K] | null };
interface MailboxRow extends RecipientRow, SettingsRow { bytes: number | null; messages: number | null; warned: number | null; inbox_id: string | null }

const settingsColumns = [
  'recipient_id', 'forward_to', 'forward_keep_copy', 'auto_reply_state', 'auto_reply_start', 'auto_reply_end', 'auto_reply_internal',
  'auto_reply_external', 'auto_reply_external_audience', 'copy_sent_as', 'copy_send_on_behalf', 'quota_warn_bytes', 'quota_send_bytes', 'quota_receive_bytes',
] as const satisfies readonly (keyof MailboxSettingsTable)[];

/** The columns of a MailboxRow, for a query that has the recipient as `r` and adds `mailboxJoins`. */
const mailboxColumns = sql.raw(['r.id', 'r.kind', 'r.display_name', 'r.primary_address', 'r.mail_enabled', 'r.hidden', 'u.bytes', 'u.messages', 'u.warned', 'f.id AS inbox_id',
  ...settingsColumns.map((c) => `s.${c} AS s_${c}`)].join(', '));
const mailboxJoins = sql.raw(`LEFT JOIN mailbox_settings s ON s.recipient_id = r.id
  LEFT JOIN mailbox_usage u ON u.mailbox_id = r.id
  LEFT JOIN folders f ON f.mailbox_id = r.id AND f.name = 'INBOX'`);

function toMailbox(row: MailboxRow): DeliveryMailbox {
  if (row.s_recipient_id === null) throw new Error(`mailbox ${row.id} has no settings`);
  const settingsRow = Object.fromEntries(settingsColumns.map((c) => [c, row[`s_${c}`]])) as unknown as MailboxSettingsTable;
  return {
    id: row.id!,
    kind: row.kind as 'user' | 'shared',
    displayName: row.display_name!,
    primaryAddress: row.primary_address!,
    settings: toSettings(settingsRow, row.hidden === 1),
    usage: { bytes: Number(row.bytes ?? 0), messages: Number(row.messages ?? 0), warned: row.warned === 1 },
    inboxId: row.inbox_id,
  };
}

const isGroupKind = (kind: RecipientKind | null): boolean => kind === 'distribution' || kind === 'security';

// One row when the domain is accepted (its recipient columns null when the address is unknown); none when it is not.
const resolveStatement = precompiled<{ domain: string; key: string }, MailboxRow>((_db, param) => sql<MailboxRow>`SELECT ${mailboxColumns}
  FROM domains d LEFT JOIN addresses a ON a.address_key = ${param('key')} LEFT JOIN recipients r ON r.id = a.recipient_id ${mailboxJoins}
  WHERE d.name = ${param('domain')}`);

/** Resolves an address (RCPT, delivery, forwarding) in one statement: domain, address, recipient, and for a mailbox its settings, usage and INBOX. */
export async function resolveForDelivery(db: Db, address: string): Promise<DeliveryResolution> {
  // Exactly as resolveAddress and findRecipient read an address.
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? address.slice(at + 1).toLowerCase() : '';
  const key = address.trim().toLowerCase();
  if (!domain) return { kind: 'remote' };
  const [row] = await resolveStatement(db, { domain, key });
  if (!row) return { kind: 'remote' };
  if (row.id === null) return { kind: 'unknown-recipient' };
  if (row.mail_enabled !== 1) return { kind: 'not-mail-enabled' };
  if (isGroupKind(row.kind)) return { kind: 'group', groupId: row.id };
  return { kind: 'mailbox', mailbox: toMailbox(row) };
}

/** A mailbox by id, or undefined when it is gone or is not a mailbox (any more). */
export async function deliveryMailboxById(db: Db, id: string): Promise<DeliveryMailbox | undefined> {
  const { rows: [row] } = await sql<MailboxRow>`SELECT ${mailboxColumns} FROM recipients r ${mailboxJoins} WHERE r.id = ${id}`.execute(db);
  return row && (row.kind === 'user' || row.kind === 'shared') ? toMailbox(row) : undefined;
}

/**
 * Expands a group into the mailboxes it reaches, each once, nested groups included and cycles
 * stopped (as expandGroup does): one statement per level of nesting, mailboxes loaded as above.
 * Members that are neither groups nor mailboxes are skipped.
 */
export async function expandGroupForDelivery(db: Db, groupId: string): Promise<DeliveryMailbox[]> {
  const visitedGroups = new Set<string>([groupId]);
  const found = new Map<string, DeliveryMailbox>();
  let frontier = [groupId];
  while (frontier.length > 0) {
    const rows: MailboxRow[] = [];
    for (let i = 0; i < frontier.length; i += 500) {
      const some = frontier.slice(i, i + 500);
      const { rows: members } = await sql<MailboxRow>`SELECT ${mailboxColumns} FROM group_members gm JOIN recipients r ON r.id = gm.member_id ${mailboxJoins}
        WHERE gm.group_id IN (${sql.join(some)})`.execute(db);
      rows.push(...members);
    }
    frontier = [];
    for (const row of rows) {
      if (isGroupKind(row.kind)) {
        if (!visitedGroups.has(row.id!)) {
          visitedGroups.add(row.id!);
          frontier.push(row.id!);
        }
      } else if ((row.kind === 'user' || row.kind === 'shared') && !found.has(row.id!)) {
        found.set(row.id!, toMailbox(row));
      }
    }
  }
  return [...found.values()];
}
