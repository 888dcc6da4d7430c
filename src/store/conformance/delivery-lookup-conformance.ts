import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { addAddress } from '../../admin/addresses.js';
import { addGroup, changeGroupMembers } from '../../admin/groups.js';
import { updateMailboxSettings } from '../../admin/mailbox-settings.js';
import { addSharedMailbox } from '../../admin/shared-mailboxes.js';
import { deliveryMailboxById, expandGroupForDelivery, resolveForDelivery } from '../../directory/delivery-lookup.js';
import { expandGroup } from '../../directory/groups.js';
import { getMailboxSettings } from '../../directory/mailbox-settings.js';
import { isMailboxKind } from '../../directory/recipients.js';
import { resolveAddress } from '../../directory/resolve.js';
import { ensureDefaultFolders, findFolder } from '../mail/folders.js';
import { mailboxUsage } from '../mail/message-writer.js';
import { addUsers, orgTest, type OpenStore } from './harness.js';

/** The one-statement lookups of delivery and RCPT agree with the directory's own resolveAddress / expandGroup. */
export function defineDeliveryLookupConformance(name: string, open: OpenStore): void {
  describe(`${name} delivery lookup conformance`, () => {
    orgTest(open, 'resolveForDelivery answers as resolveAddress does, with settings, usage and INBOX loaded', async (org) => {
      await addUsers(org, 'Bob', 'Carol');
      await addSharedMailbox(org.admin, { displayName: 'Info', address: 'info@contoso.com' });
      await addAddress(org.admin, 'bob@contoso.com', 'robert@contoso.com');
      await addGroup(org.admin, { address: 'team@contoso.com', displayName: 'Team', type: 'distribution' });
      await addGroup(org.admin, { address: 'readers@contoso.com', displayName: 'Readers', type: 'security', mailEnabled: false });
      await updateMailboxSettings(org.admin, 'carol@contoso.com', { quota: { warn: 1000, send: 2000, receive: 3000 }, forwarding: { enabled: true, address: 'bob@contoso.com', keepCopy: false } });
      const addresses = ['bob@contoso.com', 'ROBERT@Contoso.com', 'carol@contoso.com', 'info@contoso.com', 'team@contoso.com', 'readers@contoso.com',
        'nobody@contoso.com', 'someone@fabrikam.example', 'no-domain', ' Bob@contoso.com '];
      for (const address of addresses) {
        const expected = await resolveAddress(org.db, address);
        const actual = await resolveForDelivery(org.db, address);
        assert.equal(actual.kind, expected.kind, address);
        if (actual.kind === 'group' && expected.kind === 'group') assert.equal(actual.groupId, expected.recipient.id);
        if (actual.kind !== 'mailbox' || expected.kind !== 'mailbox') continue;
        const { recipient } = expected;
        assert.deepEqual(
          { id: actual.mailbox.id, kind: actual.mailbox.kind, displayName: actual.mailbox.displayName, primaryAddress: actual.mailbox.primaryAddress },
          { id: recipient.id, kind: recipient.kind, displayName: recipient.displayName, primaryAddress: recipient.primaryAddress }, address);
        assert.deepEqual(actual.mailbox.settings, await getMailboxSettings(org.db, recipient.id), address);
        assert.deepEqual(actual.mailbox.usage, await mailboxUsage(org.db, recipient.id), address);
      }
      const carol = await resolveForDelivery(org.db, 'carol@contoso.com');
      assert.ok(carol.kind === 'mailbox');
      assert.equal(carol.mailbox.inboxId, null, 'no folders before first use');
      await ensureDefaultFolders(org.db, carol.mailbox.id);
      const again = await resolveForDelivery(org.db, 'carol@contoso.com');
      assert.ok(again.kind === 'mailbox');
      assert.equal(again.mailbox.inboxId, (await findFolder(org.db, carol.mailbox.id, 'INBOX'))?.id);
      assert.deepEqual(await deliveryMailboxById(org.db, carol.mailbox.id), again.mailbox);
      const team = await resolveForDelivery(org.db, 'team@contoso.com');
      assert.ok(team.kind === 'group');
      assert.equal(await deliveryMailboxById(org.db, team.groupId), undefined, 'a group is not a mailbox');
    });

    orgTest(open, 'expandGroupForDelivery reaches the mailboxes expandGroup does, once each, through nesting and cycles', async (org) => {
      await addUsers(org, 'Bob', 'Carol', 'Dave');
      await addSharedMailbox(org.admin, { displayName: 'Info', address: 'info@contoso.com' });
      const a = await addGroup(org.admin, { address: 'a@contoso.com', displayName: 'A', type: 'distribution' });
      const b = await addGroup(org.admin, { address: 'b@contoso.com', displayName: 'B', type: 'distribution' });
      const s = await addGroup(org.admin, { address: 's@contoso.com', displayName: 'S', type: 'security' });
      await changeGroupMembers(org.admin, 'a@contoso.com', ['bob@contoso.com', 'b@contoso.com', 's@contoso.com'], 'add');
      await changeGroupMembers(org.admin, 'b@contoso.com', ['a@contoso.com', 'carol@contoso.com', 'bob@contoso.com', 'info@contoso.com'], 'add');
      await changeGroupMembers(org.admin, 's@contoso.com', ['dave@contoso.com', 'bob@contoso.com'], 'add');
      for (const group of [a, b, s]) {
        const expected = (await expandGroup(org.db, group.id)).filter((r) => isMailboxKind(r.kind)).map((r) => r.primaryAddress).sort();
        const actual = (await expandGroupForDelivery(org.db, group.id)).map((m) => m.primaryAddress).sort();
        assert.deepEqual(actual, expected, group.primaryAddress);
      }
      assert.deepEqual((await expandGroupForDelivery(org.db, a.id)).length, 4);
    });
  });
}
