import type { CalendarTables } from './calendar-schema.js';
import type { MailTables } from './mail-schema.js';

/**
 * The relational schema, as Kysely sees it. Portable across SQLite and PostgreSQL:
 * booleans are 0/1 integers, times are ISO-8601 UTC text (they sort as text), ids are UUID text.
 */
export type RecipientKind = 'user' | 'shared' | 'distribution' | 'security';
export type Role = 'global-admin' | 'exchange-admin';
/**
 * Grants on a mailbox. FullAccess, ReadOnly and NoDelete open it (the strongest one held wins);
 * SendAs and SendOnBehalf let the trustee send as it. ReadOnly and NoDelete are Mailroom's: the
 * restricted delegates Microsoft 365 cannot express (docs/directory.md, "Access levels").
 */
export type MailboxRight = 'FullAccess' | 'SendAs' | 'SendOnBehalf' | 'ReadOnly' | 'NoDelete';
export type AutoReplyState = 'off' | 'on' | 'scheduled';
export type ExternalAudience = 'all' | 'known';

export interface MetaTable { key: string; value: string }

export interface DomainTable { name: string; is_default: number; created_at: string }

export interface RecipientTable {
  id: string;
  kind: RecipientKind;
  display_name: string;
  alias: string;
  primary_address: string;
  hidden: number;
  mail_enabled: number;
  created_at: string;
}

/** Every address of every recipient, primary included; `address_key` (lower case) is unique. */
export interface AddressTable { address_key: string; address: string; domain: string; recipient_id: string }

export interface AccountTable {
  recipient_id: string;
  password_hash: string;
  sign_in_blocked: number;
  password_changed_at: string;
}

export interface RoleTable { recipient_id: string; role: Role }

export interface GroupMemberTable { group_id: string; member_id: string }

export interface GrantTable {
  mailbox_id: string;
  trustee_id: string;
  mailbox_right: MailboxRight;
  automap: number;
  created_at: string;
}

export interface MailboxSettingsTable {
  recipient_id: string;
  forward_to: string | null;
  forward_keep_copy: number;
  auto_reply_state: AutoReplyState;
  auto_reply_start: string | null;
  auto_reply_end: string | null;
  auto_reply_internal: string;
  auto_reply_external: string | null;
  auto_reply_external_audience: ExternalAudience;
  copy_sent_as: number;
  copy_send_on_behalf: number;
  quota_warn_bytes: number;
  quota_send_bytes: number;
  quota_receive_bytes: number;
  /** 1: \Seen is kept per member instead of shared (migration 0008). */
  private_seen: number;
}

export interface ApiTokenTable { token_hash: string; recipient_id: string; created_at: string; expires_at: string }

export interface AuditTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface Database extends MailTables, CalendarTables {
  meta: MetaTable;
  domains: DomainTable;
  recipients: RecipientTable;
  addresses: AddressTable;
  accounts: AccountTable;
  roles: RoleTable;
  group_members: GroupMemberTable;
  grants: GrantTable;
  mailbox_settings: MailboxSettingsTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditTable;
}
