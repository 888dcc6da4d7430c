import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { screenshotDir } from './browser-helpers.js';
import { removeDataDir } from './harness.js';
import { createOrganization, deliver, eventually, imapClient, startImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { passwordOf } from './mail-helpers.js';
import {
  folderPaneScript, getMessagesScript, launchThunderbird, makeProfile, stopAllThunderbirds, thunderbirdSkipReason, type FolderPaneRow, type RunningThunderbird,
} from './thunderbird-profile.js';

// Issue 4: Thunderbird, given only the member's own account, shows the shared mailbox in its folder
// pane (it shows subscribed folders only, so this holds only because automapped folders are reported
// as subscribed), and opens it.
describe('IMAP: Thunderbird shows the shared mailbox with no setup', { skip: thunderbirdSkipReason, timeout: 90_000 }, () => {
  let server: ImapServer;
  let org: Organization;
  let profileDir = '';
  let thunderbird: RunningThunderbird | null = null;
  const shared = 'Shared/info@contoso.com/INBOX';
  const accountUri = 'imap://alice%40contoso.com@127.0.0.1';

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    await deliver(server, org.info, 'Question for the team');
    const bob = await imapClient(server, { user: org.bob.address });
    try {
      await eventually(async () => (((await bob.status(shared, { messages: true })) as { messages?: number }).messages ?? 0) >= 1 || undefined);
    } finally {
      await bob.logout();
    }
    // The pre-made profile: alice's own account, nothing about info@, and her password remembered.
    profileDir = await makeProfile({ address: org.alice.address, displayName: 'Alice', imapPort: server.imapPort }, passwordOf(org.alice.address));
  });

  after(async () => {
    await thunderbird?.stop().catch(() => undefined);
    await stopAllThunderbirds();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    if (server) {
      await server.server.stop();
      removeDataDir(server.server.dataDir);
    }
  });

  // Thunderbird's commands and every refusal, from its own protocol log; then what it printed.
  const diagnostics = (): string => {
    const lines = (thunderbird?.imapLog() ?? '').split('\n').filter((l) => /SendData|\d+ (?:NO|BAD) /.test(l)).map((l) => l.replace(/^.*?:IMAP\]: I\/IMAP \w+:/, ''));
    return `\n--- Thunderbird's IMAP commands and refusals ---\n${lines.slice(-80).join('\n')}\n--- Thunderbird's output (tail) ---\n${thunderbird?.output().slice(-2_000) ?? ''}`;
  };

  it('lists Shared/info@contoso.com and its folders in the folder pane beside alice\'s own', async () => {
    thunderbird = await launchThunderbird(profileDir);
    await thunderbird.marionette.run(getMessagesScript);
    const rows = await eventually(async () => {
      const current = await thunderbird!.marionette.run<FolderPaneRow[]>(folderPaneScript);
      return current.some((r) => r.uri === `${accountUri}/${shared}`) && current.some((r) => r.uri === `${accountUri}/Shared/info@contoso.com/Sent Items`) ? current : undefined;
    }, 30_000).catch((error: Error) => assert.fail(`${error.message}: the shared folders never appeared in the folder pane${diagnostics()}`));

    const shown = rows.map((r) => `${r.uri ?? '-'} = ${r.name}`);
    // alice's own folders, as Thunderbird names them from SPECIAL-USE.
    assert.ok(rows.some((r) => r.uri === `${accountUri}/INBOX` && r.name === 'Inbox'), shown.join('\n'));
    assert.ok(rows.some((r) => r.uri === `${accountUri}/Sent Items` && r.name === 'Sent'), shown.join('\n'));
    // The shared mailbox, under the shared namespace, with the names the server gives.
    for (const [path, name] of [['Shared', 'Shared'], ['Shared/info@contoso.com', 'info@contoso.com'], [shared, 'INBOX'], ['Shared/info@contoso.com/Sent Items', 'Sent Items'], ['Shared/info@contoso.com/Deleted Items', 'Deleted Items']] as const) {
      assert.ok(rows.some((r) => r.uri === `${accountUri}/${path}` && r.name === name), `${path} is not shown as "${name}":\n${shown.join('\n')}`);
    }
    // Thunderbird found them itself, from the subscribed list: its LIST (SUBSCRIBED) returned them.
    const log = thunderbird.imapLog();
    assert.match(log, /list \(subscribed\) "" "\*"/i, 'Thunderbird asked for its subscribed folders');
    assert.match(log, /\* LIST \([^)]*\\Subscribed[^)]*\) "\/" Shared\/info@contoso\.com\/INBOX/, 'the shared INBOX came back as subscribed');
    // And it made its own summary files for them in the profile.
    assert.ok(existsSync(join(profileDir, 'ImapMail', '127.0.0.1', 'Shared.sbd', 'info@contoso.com.sbd', 'INBOX.msf')), 'Thunderbird keeps a summary of the shared INBOX');
  });

  it('opens the shared INBOX and reads the message: the server records alice\'s \\Seen for every member', async () => {
    assert.ok(thunderbird, 'Thunderbird is running');
    const tb = thunderbird;
    await tb.marionette.run(`
      const about3Pane = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane;
      about3Pane.displayFolder(arguments[0]);`, `${accountUri}/${shared}`);
    const subjects = await eventually(async () => {
      const current = await tb.marionette.run<string[]>(`
        const view = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.gDBView;
        if (!view) return [];
        return Array.from({ length: view.rowCount }, (_, i) => view.cellTextForColumn(i, "subjectCol"));`);
      return current.length > 0 ? current : undefined;
    }, 20_000).catch((error: Error) => assert.fail(`${error.message}: the shared INBOX showed no message${diagnostics()}`));
    assert.deepEqual(subjects, ['Question for the team']);
    // Thunderbird selected the shared folder on the server (its own protocol log).
    assert.match(tb.imapLog(), /select "Shared\/info@contoso\.com\/INBOX"/i, `Thunderbird selected the shared INBOX${diagnostics()}`);

    // Reading the message (selecting it in the thread pane) fetches it, which marks it \Seen on the server.
    await tb.marionette.run(`
      Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.threadTree.selectedIndex = 0;`);
    const bob = await imapClient(server, { user: org.bob.address });
    try {
      await eventually(async () => {
        const lock = await bob.getMailboxLock(shared, { readOnly: true });
        try {
          const message = await bob.fetchOne('1', { flags: true });
          return (message && message.flags?.has('\\Seen')) || undefined;
        } finally {
          lock.release();
        }
      }, 15_000).catch((error: Error) => assert.fail(`${error.message}: bob never saw the \\Seen alice's Thunderbird set${diagnostics()}`));
    } finally {
      await bob.logout();
    }
    // Thunderbird fetched the whole message without PEEK, which sets \Seen on the server (RFC 3501 §6.4.5).
    assert.match(tb.imapLog(), /S-Shared\/info@contoso\.com\/INBOX:SendData: \d+ UID fetch \d+ \([^)]*BODY\[\]\)/i, 'Thunderbird fetched the message body from the shared INBOX');

    if (screenshotDir) {
      await tb.marionette.run(`Services.wm.getMostRecentWindow("mail:3pane").focus();`);
      mkdirSync(screenshotDir, { recursive: true });
      writeFileSync(join(screenshotDir, 'thunderbird-shared-mailbox.png'), await tb.marionette.screenshot());
    }
  });

  // Two server defects this caught, both fixed: Thunderbird took the listed namespace root "Shared"
  // for a folder ("Shared/Shared") and alerted on MYRIGHTS' NO [NONEXISTENT]; and a first SELECT
  // "INBOX" racing another connection's first LIST found no INBOX yet. Each NO is an alert to the user.
  it('shows the user no error and has none of its commands refused', () => {
    assert.ok(thunderbird, 'Thunderbird is running');
    const refused = thunderbird.imapLog().split('\n').filter((l) => /\d+ (?:NO|BAD) /.test(l));
    assert.deepEqual({ alerts: thunderbird.marionette.alerts, refused }, { alerts: [], refused: [] }, diagnostics());
  });
});
