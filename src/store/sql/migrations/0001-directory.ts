import type { Kysely } from 'kysely';

/** The organization's directory: domains, recipients, addresses, accounts, roles, groups, grants, settings, audit. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('domains')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('primary_address', 'text', (c) => c.notNull())
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mail_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recipients_kind').on('recipients').column('kind').execute();

  await db.schema.createTable('addresses')
    .addColumn('address_key', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('addresses_recipient').on('addresses').column('recipient_id').execute();
  await db.schema.createIndex('addresses_domain').on('addresses').column('domain').execute();

  await db.schema.createTable('accounts')
    .addColumn('recipient_id', 'text', (c) => c.primaryKey().references('recipients.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('sign_in_blocked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('roles')
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('roles_pk', ['recipient_id', 'role'])
    .execute();

  await db.schema.createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'member_id'])
    .execute();
  await db.schema.createIndex('group_members_member').on('group_members').column('member_id').execute();

  await db.schema.createTable('grants')
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('trustee_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('mailbox_right', 'text', (c) => c.notNull())
    .addColumn('automap', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('grants_pk', ['mailbox_id', 'trustee_id', 'mailbox_right'])
    .execute();
  await db.schema.createIndex('grants_trustee').on('grants').column('trustee_id').execute();

  await db.schema.createTable('mailbox_settings')
    .addColumn('recipient_id', 'text', (c) => c.primaryKey().references('recipients.id').onDelete('cascade'))
    .addColumn('forward_to', 'text')
    .addColumn('forward_keep_copy', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('auto_reply_state', 'text', (c) => c.notNull().defaultTo('off'))
    .addColumn('auto_reply_start', 'text')
    .addColumn('auto_reply_end', 'text')
    .addColumn('auto_reply_internal', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('auto_reply_external', 'text')
    .addColumn('auto_reply_external_audience', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('copy_sent_as', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('copy_send_on_behalf', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('quota_warn_bytes', 'bigint', (c) => c.notNull())
    .addColumn('quota_send_bytes', 'bigint', (c) => c.notNull())
    .addColumn('quota_receive_bytes', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('api_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').column('target').execute();
}
