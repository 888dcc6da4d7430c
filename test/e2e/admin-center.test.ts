import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertStatus, createUser, messages, sleep, type Api } from './api-helpers.js';
import {
  browserSkipReason, field, launchBrowser, openPage, screenshot, signInWithKeyboard, unexpectedConsoleErrors, type TestBrowser, type WatchedPage,
} from './browser-helpers.js';
import { removeDataDir, repoRoot } from './harness.js';
import { plainMessage, sendWithNodemailer, startMailServer, type MailServer } from './mail-helpers.js';

const proxyAddressInUse = (address: string, owner: string) =>
  `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner}". Please choose another proxy address.`;
const outsideMember = (address: string) => `"${address}" is outside your organization. Shared mailboxes can only be used by people in your organization.`;

/** The admin center at /admin, in Debian's Chromium, walking through the guide; every step is read back through the API. */
describe('admin center in a real browser', { skip: browserSkipReason }, () => {
  let mail: MailServer;
  let admin: Api;
  let chrome: TestBrowser;
  let url: string;

  before(async () => {
    mail = await startMailServer();
    admin = mail.admin;
    url = mail.server.url;
    await createUser(admin, 'alice@contoso.com', 'Alice Anderson', 'Alice-pass-1');
    await createUser(admin, 'bob@contoso.com', 'Bob Brown', 'Bob-pass-1');
    await createUser(admin, 'carol@contoso.com', 'Carol Clark', 'Carol-pass-1');
    await createUser(admin, 'dave@contoso.com', 'Dave Davis', 'Dave-pass-1');
    await createUser(admin, 'erin@contoso.com', 'Erin Evans', 'Erin-pass-1');
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
    await mail?.server.stop();
    if (mail) removeDataDir(mail.server.dataDir);
  });

  /** Runs a scenario in a fresh browser context and fails on any console error it did not provoke. */
  async function inPage(scenario: (p: WatchedPage) => Promise<void>, options: { width?: number; height?: number; expectedStatuses?: number[] } = {}): Promise<void> {
    const watched = await openPage(chrome.browser, options);
    try {
      await scenario(watched);
      assert.deepEqual(unexpectedConsoleErrors(watched.consoleErrors, options.expectedStatuses ?? []), [], 'browser console errors');
    } finally {
      await watched.close();
    }
  }

  const signInAsAdmin = async (page: Page) => {
    await signInWithKeyboard(page, url, mail.server.adminAddress, mail.server.adminPassword);
    await page.getByRole('heading', { name: 'Active users' }).waitFor();
  };
  const openNav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  const read = async (path: string) => {
    const res = await admin('GET', path);
    assertStatus(res, 200);
    return res.body;
  };

  it('loads the first page interactive within a second, with at most 400 KB of JavaScript (gzipped)', async (t) => {
    const assets = join(repoRoot, 'web', 'dist', 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const gzipped = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
    t.diagnostic(`admin center JavaScript: ${scripts.length} file(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    assert.ok(gzipped <= 400 * 1024, `${gzipped} bytes gzipped`);

    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await inPage(async ({ page }) => {
        await page.goto(`${url}/admin/`);
        await field(page, 'Email address').waitFor();
        times.push(await page.evaluate('performance.getEntriesByName("mailroom:interactive")[0].startTime') as number);
      });
    }
    t.diagnostic(`first page interactive after ${times.map((ms) => `${Math.round(ms)} ms`).join(', ')} (cold cache, localhost)`);
    assert.ok(Math.min(...times) < 1000, `interactive after ${times.join(', ')} ms`);
  });

  it('refuses a user without an admin role, and a blocked account, in the API\'s words', async () => {
    assertStatus(await admin('POST', '/users/block', { addresses: ['erin@contoso.com'] }), 200);
    await inPage(async ({ page }) => {
      await page.goto(`${url}/admin/`);
      await screenshot(page, '01-sign-in');
      await signInWithKeyboard(page, url, 'carol@contoso.com', 'Carol-pass-1');
      await page.getByRole('alert').filter({ hasText: messages.permissionDenied }).waitFor();
      assert.equal((await page.getByRole('alert').innerText()).trim(), messages.permissionDenied);
      await screenshot(page, '02-sign-in-not-an-admin');
      // What was typed stays; the blocked account gets the locked-account message.
      assert.equal(await field(page, 'Email address').inputValue(), 'carol@contoso.com');
      await field(page, 'Email address').fill('erin@contoso.com');
      await field(page, 'Password').fill('Erin-pass-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: messages.accountLocked }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Active users' }).count(), 0);
    }, { expectedStatuses: [403, 403] });
    // The refused user's token was signed out again.
    const audit = await read('/audit?actor=carol@contoso.com');
    assert.deepEqual(audit.map((e: { action: string }) => e.action), ['session.sign-in']);
  });

  it('creates a shared mailbox with the suggested address, adds members, and refuses a taken address under the field', async () => {
    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      await openNav(page, 'Shared mailboxes');
      await page.getByRole('heading', { name: 'Shared mailboxes' }).waitFor();
      await page.getByRole('button', { name: 'Add a shared mailbox' }).click();
      await field(page, 'Name').fill('Sales Team');
      await assertEventually(async () => (await field(page, 'Email').inputValue()) === 'salesteam', 'the suggested address');
      assert.equal(await field(page, 'Domain').inputValue(), 'contoso.com');
      await screenshot(page, '05-add-shared-mailbox');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('Next steps').waitFor();
      await screenshot(page, '06-shared-mailbox-created');
      await page.getByRole('button', { name: 'Add members to this mailbox' }).click();
      await page.getByRole('checkbox', { name: /Alice Anderson/ }).check();
      await field(page, 'Search members').fill('bob');
      await page.getByRole('checkbox', { name: /Bob Brown/ }).check();
      await screenshot(page, '07-add-members');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Members saved for salesteam@contoso.com.').waitFor();
      await page.getByRole('button', { name: 'Close', exact: true }).last().click();
      await page.getByRole('cell', { name: 'salesteam@contoso.com' }).waitFor();

      const created = await read('/shared-mailboxes/salesteam@contoso.com');
      assert.equal(created.displayName, 'Sales Team');
      assert.equal(created.signInBlocked, true);
      assert.deepEqual(created.members.map((m: { trustee: string; rights: string[]; automap: boolean }) => [m.trustee, m.rights.join('+'), m.automap]), [
        ['alice@contoso.com', 'FullAccess+SendAs', true], ['bob@contoso.com', 'FullAccess+SendAs', true],
      ]);

      // The same name again: the suggestion is taken, and the API's words appear under the address.
      await page.getByRole('button', { name: 'Add a shared mailbox' }).click();
      await field(page, 'Name').fill('Sales Team');
      await assertEventually(async () => (await field(page, 'Email').inputValue()) === 'salesteam', 'the suggested address');
      await field(page, 'Name').press('Enter');
      const error = proxyAddressInUse('salesteam@contoso.com', 'Sales Team');
      await page.getByText(error).waitFor();
      const describedBy = (await field(page, 'Email').getAttribute('aria-describedby')) ?? '';
      const descriptions = await Promise.all(describedBy.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).innerText()));
      assert.ok(descriptions.some((d) => d.includes(error)), `the error describes the address field: ${JSON.stringify(descriptions)}`);
      assert.equal(await field(page, 'Email').getAttribute('aria-invalid'), 'true');
      assert.equal(await field(page, 'Name').inputValue(), 'Sales Team', 'nothing typed is lost');
      await screenshot(page, '08-address-conflict');
      // A new name: the address follows it again, and the mailbox is added.
      await field(page, 'Name').fill('Sales Europe');
      await assertEventually(async () => (await field(page, 'Email').inputValue()) === 'saleseurope', 'the new suggestion');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('Next steps').waitFor();

      // The outside-member refusal shows beside the picker, and the selection stays.
      await page.getByRole('button', { name: 'Add members to this mailbox' }).click();
      await page.getByRole('checkbox', { name: /Carol Clark/ }).check();
      await field(page, 'Search members').fill('partner@gmail.com');
      await page.getByRole('checkbox', { name: /Add “partner@gmail.com”/ }).click();
      assert.equal(await page.getByRole('checkbox', { name: /partner@gmail.com.*Typed address/ }).isChecked(), true);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').filter({ hasText: outsideMember('partner@gmail.com') }).waitFor();
      await page.getByText('Selected (2): Carol Clark, partner@gmail.com').waitFor();
      await screenshot(page, '09-outside-member-refused');
      await page.getByRole('checkbox', { name: /partner@gmail.com/ }).uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Members saved for saleseurope@contoso.com.').waitFor();
    }, { expectedStatuses: [409, 422] });
    const europe = await read('/shared-mailboxes/saleseurope@contoso.com');
    assert.deepEqual([europe.displayName, europe.members.map((m: { trustee: string }) => m.trustee)], ['Sales Europe', ['carol@contoso.com']]);
  });

  it('sets forwarding, automatic replies and sent-item copies from the mailbox panel, and shows storage used', async () => {
    const sent = await sendWithNodemailer(mail.smtpPort, { from: 'customer@example.net', to: ['salesteam@contoso.com'] },
      plainMessage({ from: 'customer@example.net', to: 'salesteam@contoso.com', subject: 'Order 42', body: 'Hello '.repeat(2000) }));
    assert.deepEqual(sent.accepted, ['salesteam@contoso.com']);
    await assertEventually(async () => (await read('/shared-mailboxes/salesteam@contoso.com')).storageUsedBytes > 12_000, 'the message counted in storage used');

    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      await openNav(page, 'Shared mailboxes');
      await page.getByRole('button', { name: 'Sales Team' }).click();
      await page.getByRole('dialog').getByText('Storage used').waitFor();
      assert.match(await page.getByText(/of 50 GB/).innerText(), /^1[0-9](\.\d)? KB of 50 GB \(< 0\.1 %\)$/);
      await screenshot(page, '10-shared-mailbox-panel');

      await page.getByRole('button', { name: 'Edit email forwarding' }).click();
      await page.getByRole('switch', { name: 'Forward all email sent to this mailbox' }).check();
      await field(page, 'Forwarding email address').fill('orders@fabrikam.com');
      await page.getByRole('checkbox', { name: 'Keep a copy of forwarded email in this mailbox' }).check();
      await screenshot(page, '11-email-forwarding');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Email is forwarded to orders@fabrikam.com.').waitFor();
      assert.deepEqual((await read('/mailboxes/salesteam@contoso.com/settings')).forwarding, { enabled: true, address: 'orders@fabrikam.com', keepCopy: true });

      await page.getByRole('button', { name: 'Edit automatic replies' }).click();
      await page.getByRole('switch', { name: 'Send automatic replies' }).check();
      // An HTML reply is refused in place; the text stays for correcting.
      await field(page, 'Reply to senders inside your organization').fill('<b>Back soon</b>');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Automatic replies can contain plain text only: HTML and images are not allowed.').waitFor();
      assert.equal(await field(page, 'Reply to senders inside your organization').inputValue(), '<b>Back soon</b>');
      await field(page, 'Reply to senders inside your organization').fill('Thanks, the sales team answers within a day.');
      await page.getByRole('checkbox', { name: 'Send automatic replies to senders outside your organization' }).check();
      await field(page, 'Reply to senders outside your organization').fill('Thank you for your order enquiry.');
      await screenshot(page, '12-automatic-replies');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Automatic replies are on.').waitFor();
      const autoReply = (await read('/mailboxes/salesteam@contoso.com/settings')).autoReply;
      assert.deepEqual([autoReply.state, autoReply.internalMessage, autoReply.externalMessage, autoReply.externalAudience],
        ['on', 'Thanks, the sales team answers within a day.', 'Thank you for your order enquiry.', 'all']);

      await page.getByRole('button', { name: 'Edit sent items' }).click();
      await page.getByRole('switch', { name: 'Copy items sent as this mailbox' }).check();
      await page.getByRole('switch', { name: 'Copy items sent on behalf of this mailbox' }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Sent items settings saved.').waitFor();
      assert.deepEqual((await read('/mailboxes/salesteam@contoso.com/settings')).sentItems, { copySentAs: true, copySendOnBehalf: true });

      // Members: Send on behalf for Alice, automapping off for Bob.
      await page.getByRole('button', { name: 'Edit members' }).click();
      await page.getByRole('checkbox', { name: 'Send on behalf: Alice Anderson' }).check();
      await page.getByText('Send on behalf given to Alice Anderson.').waitFor();
      await page.getByRole('checkbox', { name: 'Automapping: Bob Brown' }).uncheck();
      await page.getByText('Automapping off for Bob Brown.').waitFor();
      await screenshot(page, '13-members-and-permissions');
    }, { expectedStatuses: [400] });
    const permissions = await read('/mailboxes/salesteam@contoso.com/permissions');
    assert.deepEqual(permissions.map((p: { trustee: string; rights: string[]; automap: boolean }) => [p.trustee, p.rights.join('+'), p.automap]), [
      ['alice@contoso.com', 'FullAccess+SendAs+SendOnBehalf', true], ['bob@contoso.com', 'FullAccess+SendAs', false],
    ]);
  });

  it('blocks sign-in of selected accounts in Active users, where shared mailbox accounts show as blocked', async () => {
    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      const row = (address: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name: address, exact: true }) });
      await row('salesteam@contoso.com').getByText('Sign-in blocked').waitFor();
      await row('dave@contoso.com').getByRole('checkbox').check();
      await row('alice@contoso.com').getByRole('checkbox').check();
      await row('alice@contoso.com').getByRole('checkbox').uncheck();
      await page.getByRole('button', { name: 'Block sign-in', exact: true }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Block sign-in' }).click();
      await page.getByText('Sign-in blocked for dave@contoso.com.').waitFor();
      await row('dave@contoso.com').getByText('Sign-in blocked').waitFor();
      await screenshot(page, '03-active-users');
      assert.equal((await read('/users/dave@contoso.com')).signInBlocked, true);
      assert.equal((await read('/users/alice@contoso.com')).signInBlocked, false);

      // The guide's way for one account: its panel › Block this user › Save changes.
      await page.getByRole('button', { name: 'Bob Brown' }).click();
      await page.getByRole('button', { name: 'Block this user' }).click();
      await page.getByRole('checkbox', { name: 'Block this user from signing in' }).check();
      await screenshot(page, '04-block-this-user');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('dialog').locator('dd', { hasText: 'Sign-in blocked' }).waitFor();
      assert.equal((await read('/users/bob@contoso.com')).signInBlocked, true);
    });
  });

  it('manages groups and domains and filters the audit log', async () => {
    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      await openNav(page, 'Domains');
      await page.getByRole('button', { name: 'Add domain' }).click();
      await field(page, 'Domain name').fill('fabrikam.org');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('fabrikam.org was added.').waitFor();
      await screenshot(page, '16-domains');
      assert.deepEqual((await read('/domains')).map((d: { name: string }) => d.name), ['contoso.com', 'fabrikam.org']);

      await openNav(page, 'Active teams & groups');
      await page.getByRole('button', { name: 'Add a group' }).click();
      await field(page, 'Name').fill('Everyone');
      await field(page, 'Group email address').fill('everyone');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('button', { name: 'Everyone' }).click();
      await page.getByRole('button', { name: 'Add members' }).click();
      await page.getByRole('checkbox', { name: /Alice Anderson/ }).check();
      await page.getByRole('checkbox', { name: /Sales Team.*salesteam/ }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('2 members added.').waitFor();
      await page.getByRole('cell', { name: /salesteam@contoso.com/ }).waitFor();
      await screenshot(page, '15-group-panel');
      // The focus stayed in the panel, so Escape closes it.
      await page.keyboard.press('Escape');
      await page.getByRole('cell', { name: 'everyone@contoso.com' }).waitFor();
      await screenshot(page, '14-groups');
      assert.deepEqual((await read('/groups/everyone@contoso.com')).members.map((m: { address: string }) => m.address).sort(), ['alice@contoso.com', 'salesteam@contoso.com']);

      await openNav(page, 'Audit');
      await field(page, 'Target').fill('salesteam@contoso.com');
      await field(page, 'Activity').fill('member');
      await page.getByRole('button', { name: 'Search' }).click();
      await assertEventually(async () => (await page.getByRole('row').count()) === 3, 'two member.add rows');
      await screenshot(page, '17-audit');
    });
  });

  it('hides a mailbox from the address list, converts one to a user mailbox and deletes one', async () => {
    assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Old Projects' }), 201);
    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      await openNav(page, 'Shared mailboxes');
      await page.getByRole('button', { name: 'Sales Europe' }).click();
      await page.getByRole('switch', { name: 'Hide from global address list' }).check();
      await page.getByText('The mailbox is hidden from the global address list.').waitFor();
      assert.equal((await read('/mailboxes/saleseurope@contoso.com/settings')).hiddenFromAddressList, true);
      await page.getByRole('button', { name: 'Convert to user mailbox' }).click();
      await field(page, 'Password for the user account').fill('short');
      await page.getByRole('button', { name: 'Convert', exact: true }).click();
      await page.getByText('A password must be 8 to 256 characters long.').waitFor();
      await field(page, 'Password for the user account').fill('Europe-pass-1');
      await page.getByRole('button', { name: 'Convert', exact: true }).click();
      await page.getByText('saleseurope@contoso.com is now a user mailbox. Find it under Users › Active users.').waitFor();
      const converted = await read('/users/saleseurope@contoso.com');
      assert.deepEqual([converted.kind, converted.signInBlocked], ['user', false]);

      await page.getByRole('button', { name: 'Old Projects' }).click();
      await page.getByRole('button', { name: 'Delete mailbox' }).click();
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.getByText('Old Projects (oldprojects@contoso.com) was deleted.').waitFor();
      assert.equal((await admin('GET', '/shared-mailboxes/oldprojects@contoso.com')).status, 404);
    }, { expectedStatuses: [400] });
  });

  it('walks the wizard with the keyboard alone', async () => {
    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      const tabTo = async (role: 'link' | 'button' | 'checkbox', name: string, key = 'Tab') => {
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press(key);
          const [tag, type, label] = await page.evaluate(`(() => { const e = document.activeElement;
            return [e?.tagName.toLowerCase() ?? '', e?.getAttribute('type') ?? '', e?.getAttribute('aria-label') ?? e?.labels?.[0]?.textContent ?? e?.textContent ?? '']; })()`) as [string, string, string];
          const focusedRole = tag === 'a' ? 'link' : tag === 'input' && type === 'checkbox' ? 'checkbox' : tag;
          if (focusedRole === role && label.includes(name)) return;
        }
        assert.fail(`Tab never reached the ${role} "${name}"`);
      };
      // Tab reaches the navigation; the arrow keys move inside it (Fluent UI's Nav).
      await tabTo('button', 'Users');
      await tabTo('link', 'Shared mailboxes', 'ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Shared mailboxes' }).waitFor();
      await tabTo('button', 'Add a shared mailbox');
      await page.keyboard.press('Enter');
      await field(page, 'Name').waitFor();
      await page.keyboard.type('Front Desk');
      await assertEventually(async () => (await field(page, 'Email').inputValue()) === 'frontdesk', 'the suggested address');
      await page.keyboard.press('Enter');
      await page.getByText('Next steps').waitFor();
      await tabTo('button', 'Add members to this mailbox');
      await page.keyboard.press('Enter');
      await page.getByRole('checkbox', { name: /Carol Clark/ }).waitFor();
      await page.keyboard.type('carol');
      await tabTo('checkbox', 'Carol Clark');
      await page.keyboard.press('Space');
      await tabTo('button', 'Save');
      await page.keyboard.press('Enter');
      await page.getByText('Members saved for frontdesk@contoso.com.').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('cell', { name: 'frontdesk@contoso.com' }).waitFor();
    });
    assert.deepEqual((await read('/shared-mailboxes/frontdesk@contoso.com')).members.map((m: { trustee: string }) => m.trustee), ['carol@contoso.com']);
  });

  it('is readable at phone width: no sideways scrolling, the navigation behind a button', async () => {
    await inPage(async ({ page }) => {
      await signInAsAdmin(page);
      await page.getByRole('button', { name: 'Show navigation' }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Shared mailboxes', exact: true }).click();
      await page.getByRole('heading', { name: 'Shared mailboxes' }).waitFor();
      await page.getByRole('cell', { name: 'salesteam@contoso.com' }).waitFor();
      assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'no horizontal scrolling');
      await screenshot(page, '18-phone-shared-mailboxes');
      await page.getByRole('button', { name: 'Sales Team' }).click();
      await page.getByRole('dialog').getByText('Storage used').waitFor();
      await screenshot(page, '19-phone-mailbox-panel');
    }, { width: 390, height: 844 });
  });
});

async function assertEventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

