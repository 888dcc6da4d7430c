import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addAddress } from '../admin/addresses.js';
import { ensureOrganization } from '../admin/bootstrap.js';
import type { AdminContext } from '../admin/context.js';
import { addGroup, changeGroupMembers } from '../admin/groups.js';
import { addPermission, removePermission } from '../admin/permissions.js';
import { addSharedMailbox } from '../admin/shared-mailboxes.js';
import { addUser } from '../admin/users.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../store/sql/database.js';
import { authenticate } from './accounts.js';
import { requireRecipient } from './recipients.js';
import { authorizeSender } from './sender-authorization.js';

describe('authorizeSender', () => {
  let dataDir: string;
  let opened: OpenDatabase;
  let admin: AdminContext;
  let alice: string;
  let eve: string;
  const decide = async (userId: string, address: string) => {
    const d = await authorizeSender(opened.db, userId, address);
    return d.allowed ? [d.mode, d.mailbox.primaryAddress] : 'refused';
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailroom-sender-'));
    opened = openDatabase({ dataDir });
    await migrateToLatest(opened);
    await ensureOrganization(opened.db, 'contoso.com', 'Admin-password-1');
    admin = { db: opened.db, actor: await authenticate(opened.db, 'admin@contoso.com', 'Admin-password-1') };
    for (const name of ['alice', 'bob', 'eve']) await addUser(admin, { address: `${name}@contoso.com`, displayName: name, password: `${name}-password-1` });
    await addAddress(admin, 'alice@contoso.com', 'awilber@contoso.com');
    for (const name of ['info', 'support', 'sales', 'both']) await addSharedMailbox(admin, { displayName: name, address: `${name}@contoso.com` });
    await addPermission(admin, { mailbox: 'info@contoso.com', trustee: 'alice@contoso.com', rights: ['SendAs'] });
    await addPermission(admin, { mailbox: 'support@contoso.com', trustee: 'alice@contoso.com', rights: ['FullAccess', 'SendOnBehalf'] });
    await addPermission(admin, { mailbox: 'both@contoso.com', trustee: 'alice@contoso.com', rights: ['SendOnBehalf', 'SendAs'] });
    await addPermission(admin, { mailbox: 'sales@contoso.com', trustee: 'bob@contoso.com', rights: ['FullAccess'] });
    await addGroup(admin, { address: 'staff@contoso.com', displayName: 'Staff', type: 'security' });
    await addGroup(admin, { address: 'everyone@contoso.com', displayName: 'Everyone', type: 'distribution' });
    await changeGroupMembers(admin, 'staff@contoso.com', ['eve@contoso.com'], 'add');
    await changeGroupMembers(admin, 'everyone@contoso.com', ['staff@contoso.com'], 'add');
    alice = (await requireRecipient(opened.db, 'alice@contoso.com')).id;
    eve = (await requireRecipient(opened.db, 'eve@contoso.com')).id;
  });
  after(async () => {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the user's own addresses, primary or proxy, in any case", async () => {
    assert.deepEqual(await decide(alice, 'alice@contoso.com'), ['self', 'alice@contoso.com']);
    assert.deepEqual(await decide(alice, 'AWilber@Contoso.com'), ['self', 'alice@contoso.com']);
  });

  test('SendAs, SendOnBehalf, and Send As winning when both are held', async () => {
    assert.deepEqual(await decide(alice, 'info@contoso.com'), ['send-as', 'info@contoso.com']);
    assert.deepEqual(await decide(alice, 'support@contoso.com'), ['send-on-behalf', 'support@contoso.com']);
    assert.deepEqual(await decide(alice, 'both@contoso.com'), ['send-as', 'both@contoso.com']);
  });

  test('through a security group, nested or not; a grant change applies to the next decision', async () => {
    assert.equal(await decide(eve, 'sales@contoso.com'), 'refused');
    await addPermission(admin, { mailbox: 'sales@contoso.com', trustee: 'staff@contoso.com', rights: ['SendAs'] });
    assert.deepEqual(await decide(eve, 'sales@contoso.com'), ['send-as', 'sales@contoso.com']);
    await removePermission(admin, { mailbox: 'sales@contoso.com', trustee: 'staff@contoso.com', rights: ['SendAs'] });
    assert.equal(await decide(eve, 'sales@contoso.com'), 'refused');
  });

  test('everything else is refused: other users, FullAccess alone, groups, aliases, outside and unknown addresses', async () => {
    const bob = (await requireRecipient(opened.db, 'bob@contoso.com')).id;
    for (const address of ['bob@contoso.com', 'staff@contoso.com', 'everyone@contoso.com', 'alice', 'ghost@contoso.com', 'alice@fabrikam.com', '']) {
      assert.equal(await decide(alice, address), 'refused', address);
    }
    assert.equal(await decide(bob, 'sales@contoso.com'), 'refused', 'FullAccess does not let a member send');
  });
});
