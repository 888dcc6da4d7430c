import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { addAddress } from '../../admin/addresses.js';
import { addGroup } from '../../admin/groups.js';
import { showMailboxSettings, updateMailboxSettings, type MailboxSettingsPatch } from '../../admin/mailbox-settings.js';
import { addSharedMailbox } from '../../admin/shared-mailboxes.js';
import { showAccount } from '../../admin/users.js';
import { InvalidInput, NotFound } from '../../core/errors.js';
import { messages } from '../../core/messages.js';
import type { MailboxSettings } from '../../directory/mailbox-settings.js';
import type { AutoReplyState, ExternalAudience } from '../sql/schema.js';
import { GB, addBob, addUsers, audited, orgTest, refused, type OpenStore, type Org } from './harness.js';

const defaults: MailboxSettings = {
  forwarding: { enabled: false, address: null, keepCopy: true },
  autoReply: { state: 'off', start: null, end: null, internalMessage: '', externalMessage: null, externalAudience: 'all' },
  sentItems: { copySentAs: false, copySendOnBehalf: false },
  quota: { warnBytes: 49 * GB, sendBytes: 49.5 * GB, receiveBytes: 50 * GB },
  hiddenFromAddressList: false,
  privateSeen: false,
};

const plainTextOnly = 'Automatic replies can contain plain text only: HTML and images are not allowed.';
const quotaOrder = 'Quotas must satisfy: issue warning ≤ prohibit send ≤ prohibit send and receive.';

/** Asserts a settings change is refused with this error and the mailbox's settings read back unchanged. */
async function settingsRefused(org: Org, mailbox: string, patch: MailboxSettingsPatch, type: typeof InvalidInput | typeof NotFound, message: string): Promise<void> {
  const before = await showMailboxSettings(org.admin, mailbox);
  await refused(org, () => updateMailboxSettings(org.admin, mailbox, patch), type, message);
  assert.deepEqual(await showMailboxSettings(org.admin, mailbox), before);
}

/** Forwarding, automatic replies, sent-item copies, quotas and address-list visibility, on a fresh database per test. */
export function defineMailboxSettingsConformance(name: string, open: OpenStore): void {
  describe(`${name} mailbox conformance: mailbox settings`, () => {
    orgTest(open, 'a new mailbox has the documented defaults', async (org) => {
      await addBob(org);
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      assert.deepEqual(await showMailboxSettings(org.admin, 'bob@contoso.com'), defaults);
      assert.deepEqual(await showMailboxSettings(org.admin, 'salesteam@contoso.com'), defaults);
      await addGroup(org.admin, { address: 'staff@contoso.com', displayName: 'Staff', type: 'distribution' });
      await refused(org, () => showMailboxSettings(org.admin, 'staff@contoso.com'), NotFound, messages.unknownRecipient('staff@contoso.com'));
      await refused(org, () => updateMailboxSettings(org.admin, 'staff@contoso.com', { hiddenFromAddressList: true }), NotFound, messages.unknownRecipient('staff@contoso.com'));
    });

    orgTest(open, 'forwards to one external or internal address', async (org) => {
      await addBob(org);
      await addUsers(org, 'Carol');
      await addAddress(org.admin, 'carol@contoso.com', 'caroline@contoso.com');
      await addGroup(org.admin, { address: 'staff@contoso.com', displayName: 'Staff', type: 'distribution' });
      await addGroup(org.admin, { address: 'auditors@contoso.com', displayName: 'Auditors', type: 'security', mailEnabled: false });

      const { result: external, entries } = await audited(org, 'mailbox.set', 'bob@contoso.com',
        () => updateMailboxSettings(org.admin, 'bob@contoso.com', { forwarding: { enabled: true, address: ' Someone@Example.NET ', keepCopy: false } }));
      assert.deepEqual(external.forwarding, { enabled: true, address: 'Someone@example.net', keepCopy: false });
      assert.deepEqual([entries[0]?.before, entries[0]?.after], [defaults, external]);
      assert.deepEqual(await showMailboxSettings(org.admin, 'bob@contoso.com'), external);
      // An internal address is resolved to the recipient's primary address.
      const internal = await updateMailboxSettings(org.admin, 'bob@contoso.com', { forwarding: { address: 'CAROLINE@contoso.com', keepCopy: true } });
      assert.deepEqual(internal.forwarding, { enabled: true, address: 'carol@contoso.com', keepCopy: true });
      assert.deepEqual((await updateMailboxSettings(org.admin, 'bob@contoso.com', { forwarding: { address: 'staff@contoso.com' } })).forwarding.address, 'staff@contoso.com');

      const f = (forwarding: NonNullable<MailboxSettingsPatch['forwarding']>): MailboxSettingsPatch => ({ forwarding: { enabled: true, ...forwarding } });
      const oneAddress = 'Mail can be forwarded to one address only. To forward to several addresses, create a distribution group and forward to the group.';
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'a@example.net, b@example.net' }), InvalidInput, oneAddress);
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'a@example.net;b@example.net' }), InvalidInput, oneAddress);
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'a@example.net b@example.net' }), InvalidInput, oneAddress);
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'nobody@contoso.com' }), NotFound, messages.unknownRecipient('nobody@contoso.com'));
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'BOB@contoso.com' }), InvalidInput, "A mailbox can't forward to itself.");
      await settingsRefused(org, 'carol@contoso.com', f({ address: 'caroline@contoso.com' }), InvalidInput, "A mailbox can't forward to itself.");
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'auditors@contoso.com' }), InvalidInput, '"Auditors" doesn\'t receive mail, so mail can\'t be forwarded to it.');
      await settingsRefused(org, 'bob@contoso.com', f({ address: 'not-an-address' }), InvalidInput, '"not-an-address" is not a valid email address.');
      await settingsRefused(org, 'bob@contoso.com', f({ address: '' }), InvalidInput, 'Enter the address to forward to.');

      const off = await updateMailboxSettings(org.admin, 'bob@contoso.com', { forwarding: { enabled: false } });
      assert.deepEqual(off.forwarding, { enabled: false, address: null, keepCopy: true });
    });

    orgTest(open, 'automatic replies: on, scheduled, plain text, inside first', async (org) => {
      await addBob(org);
      const on = await updateMailboxSettings(org.admin, 'bob@contoso.com', {
        autoReply: { state: 'on', internalMessage: 'Out until Monday. Ask Carol <carol@contoso.com>; 2 < 3.', externalMessage: '  ', externalAudience: 'known' },
      });
      assert.deepEqual(on.autoReply, {
        state: 'on', start: null, end: null, internalMessage: 'Out until Monday. Ask Carol <carol@contoso.com>; 2 < 3.', externalMessage: null, externalAudience: 'known',
      });
      const scheduled = await updateMailboxSettings(org.admin, 'bob@contoso.com', {
        autoReply: { state: 'scheduled', start: '2030-01-01T09:00:00+01:00', end: '2030-01-08T09:00:00Z', externalMessage: 'Away. See <https://contoso.com/help>.', externalAudience: 'all' },
      });
      assert.deepEqual(scheduled.autoReply, {
        state: 'scheduled', start: '2030-01-01T08:00:00.000Z', end: '2030-01-08T09:00:00.000Z',
        internalMessage: 'Out until Monday. Ask Carol <carol@contoso.com>; 2 < 3.', externalMessage: 'Away. See <https://contoso.com/help>.', externalAudience: 'all',
      });
      assert.deepEqual(await showMailboxSettings(org.admin, 'bob@contoso.com'), scheduled);

      const a = (autoReply: NonNullable<MailboxSettingsPatch['autoReply']>): MailboxSettingsPatch => ({ autoReply });
      await settingsRefused(org, 'bob@contoso.com', a({ start: '2030-01-08T09:00:00Z', end: '2030-01-01T09:00:00Z' }), InvalidInput, 'The end time of automatic replies must be after the start time.');
      await settingsRefused(org, 'bob@contoso.com', a({ start: '2030-01-08T09:00:00Z', end: '2030-01-08T10:00:00+01:00' }), InvalidInput, 'The end time of automatic replies must be after the start time.');
      await settingsRefused(org, 'bob@contoso.com', a({ end: null }), InvalidInput, 'Scheduled automatic replies need a start and an end time (ISO 8601).');
      await settingsRefused(org, 'bob@contoso.com', a({ start: 'next monday' }), InvalidInput, 'Scheduled automatic replies need a start and an end time (ISO 8601).');
      await settingsRefused(org, 'bob@contoso.com', a({ internalMessage: '<p>Away</p>' }), InvalidInput, plainTextOnly);
      await settingsRefused(org, 'bob@contoso.com', a({ internalMessage: 'Away <br/> back soon' }), InvalidInput, plainTextOnly);
      await settingsRefused(org, 'bob@contoso.com', a({ externalMessage: 'Away <img src="logo.png">' }), InvalidInput, plainTextOnly);
      await settingsRefused(org, 'bob@contoso.com', a({ externalMessage: 'Away data:image/png;base64,iVBORw0KGgo=' }), InvalidInput, plainTextOnly);
      await settingsRefused(org, 'bob@contoso.com', a({ internalMessage: 'x'.repeat(8001) }), InvalidInput, 'An automatic reply can be at most 8000 characters.');
      await settingsRefused(org, 'bob@contoso.com', a({ state: 'on', internalMessage: '  ', externalMessage: 'Away.' }), InvalidInput,
        'Enter the reply for people inside your organization. A reply only to people outside it is not possible.');
      await settingsRefused(org, 'bob@contoso.com', a({ externalAudience: 'everyone' as ExternalAudience }), InvalidInput, 'The outside audience is "all" or "known", not "everyone".');
      await settingsRefused(org, 'bob@contoso.com', a({ state: 'sometimes' as AutoReplyState }), InvalidInput, 'Automatic replies are off, on or scheduled, not "sometimes".');

      const off = await updateMailboxSettings(org.admin, 'bob@contoso.com', { autoReply: { state: 'off' } });
      assert.deepEqual([off.autoReply.state, off.autoReply.start, off.autoReply.end], ['off', null, null]);
    });

    orgTest(open, 'sent-item copies and address-list visibility', async (org) => {
      await addSharedMailbox(org.admin, { displayName: 'Sales Team' });
      const copies = await updateMailboxSettings(org.admin, 'salesteam@contoso.com', { sentItems: { copySentAs: true } });
      assert.deepEqual(copies.sentItems, { copySentAs: true, copySendOnBehalf: false });
      const both = await updateMailboxSettings(org.admin, 'salesteam@contoso.com', { sentItems: { copySendOnBehalf: true } });
      assert.deepEqual(both.sentItems, { copySentAs: true, copySendOnBehalf: true });
      assert.deepEqual((await updateMailboxSettings(org.admin, 'salesteam@contoso.com', { sentItems: { copySentAs: false } })).sentItems, { copySentAs: false, copySendOnBehalf: true });

      const hidden = await updateMailboxSettings(org.admin, 'salesteam@contoso.com', { hiddenFromAddressList: true });
      assert.equal(hidden.hiddenFromAddressList, true);
      assert.equal((await showAccount(org.admin, 'salesteam@contoso.com')).hiddenFromAddressList, true);
      assert.deepEqual(await showMailboxSettings(org.admin, 'salesteam@contoso.com'), { ...defaults, sentItems: { copySentAs: false, copySendOnBehalf: true }, hiddenFromAddressList: true });
      assert.equal((await updateMailboxSettings(org.admin, 'salesteam@contoso.com', { hiddenFromAddressList: false })).hiddenFromAddressList, false);
    });

    orgTest(open, 'quotas: sizes in binary units, warning ≤ send ≤ receive', async (org) => {
      await addBob(org);
      const warn = await updateMailboxSettings(org.admin, 'bob@contoso.com', { quota: { warn: '10GB' } });
      assert.deepEqual(warn.quota, { warnBytes: 10 * GB, sendBytes: 49.5 * GB, receiveBytes: 50 * GB });
      const all = await updateMailboxSettings(org.admin, 'bob@contoso.com', { quota: { warn: '9 gb', send: '9.5 GB', receive: '10GB' } });
      assert.deepEqual(all.quota, { warnBytes: 9 * GB, sendBytes: 9.5 * GB, receiveBytes: 10 * GB });
      assert.deepEqual((await showMailboxSettings(org.admin, 'bob@contoso.com')).quota, all.quota);
      const equal = await updateMailboxSettings(org.admin, 'bob@contoso.com', { quota: { warn: 1024, send: '1KB', receive: 1024 } });
      assert.deepEqual(equal.quota, { warnBytes: 1024, sendBytes: 1024, receiveBytes: 1024 });
      await updateMailboxSettings(org.admin, 'bob@contoso.com', { quota: { warn: '49GB', send: '49.5GB', receive: '50GB' } });
      assert.deepEqual((await showMailboxSettings(org.admin, 'bob@contoso.com')).quota, defaults.quota);

      await settingsRefused(org, 'bob@contoso.com', { quota: { warn: '49.6GB' } }, InvalidInput, quotaOrder);
      await settingsRefused(org, 'bob@contoso.com', { quota: { receive: '10GB' } }, InvalidInput, quotaOrder);
      await settingsRefused(org, 'bob@contoso.com', { quota: { warn: '3GB', send: '2GB', receive: '4GB' } }, InvalidInput, quotaOrder);
      await settingsRefused(org, 'bob@contoso.com', { quota: { warn: 0 } }, InvalidInput, 'Quotas must be greater than zero.');
      await settingsRefused(org, 'bob@contoso.com', { quota: { warn: 'ten GB' } }, InvalidInput, 'quota.warn: "ten GB" is not a valid size. Use a number of bytes or a value such as 49.5GB.');
      await settingsRefused(org, 'bob@contoso.com', { quota: { send: -1 } }, InvalidInput, 'quota.send: "-1" is not a valid size.');
      // One bad part refuses the whole patch: the valid forwarding change is not kept either.
      await settingsRefused(org, 'bob@contoso.com', { forwarding: { enabled: true, address: 'bob@example.net' }, quota: { receive: '1GB' } }, InvalidInput, quotaOrder);
    });
  });
}
