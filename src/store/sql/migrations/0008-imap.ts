import type { Kysely } from 'kysely';

/**
 * What the IMAP server keeps beyond messages: folder ACLs (RFC 4314) that narrow or widen what a
 * delegate's grant allows on one folder, subscriptions (RFC 3501 §6.3.6) per principal, the
 * private \Seen state of mailboxes that keep it per member, and that setting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('folder_acl')
    .addColumn('folder_id', 'text', (c) => c.notNull().references('folders.id').onDelete('cascade'))
    // A user's or security group's recipient id; "anyone" for RFC 4314's anyone.
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('rights', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('folder_acl_pk', ['folder_id', 'identifier'])
    .execute();

  await db.schema.createTable('imap_subscriptions')
    .addColumn('principal_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    // The name as the principal's sessions see it ("Projects", "Shared/info@contoso.com/INBOX").
    .addColumn('name', 'text', (c) => c.notNull())
    // 1 subscribed, 0 explicitly unsubscribed (default folders and automapped ones start subscribed).
    .addColumn('subscribed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('imap_subscriptions_pk', ['principal_id', 'name'])
    .execute();

  await db.schema.createTable('private_seen')
    .addColumn('folder_id', 'text', (c) => c.notNull().references('folders.id').onDelete('cascade'))
    .addColumn('principal_id', 'text', (c) => c.notNull().references('recipients.id').onDelete('cascade'))
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('private_seen_pk', ['folder_id', 'principal_id', 'uid'])
    .execute();

  await db.schema.alterTable('mailbox_settings').addColumn('private_seen', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
