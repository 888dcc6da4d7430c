import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { messages } from '../../src/core/messages.js';
import { describeResult, lines, mailroom, parsed, refused, succeeded, words, type CliEnv, type CliResult } from './cli-helpers.js';
import { freePort, removeDataDir, startServer, type TestServer } from './harness.js';

describe('mailroom CLI: the shared mailbox guide, end to end', () => {
  let server: TestServer;
  let configDir: string;
  /** The administrator, through the session saved by `mailroom login`. */
  let admin: (...args: string[]) => Promise<CliResult>;
  /** Reads the API directly, to check that a refused command changed nothing. */
  let read: (path: string) => Promise<any>;
  /** Someone else, with MAILROOM_USER / MAILROOM_PASSWORD. */
  const as = (user: string, password: string) => (...args: string[]) =>
    mailroom(args, { MAILROOM_URL: server.url, MAILROOM_USER: user, MAILROOM_PASSWORD: password, MAILROOM_CONFIG_DIR: configDir });

  before(async () => {
    server = await startServer();
    configDir = mkdtempSync(join(tmpdir(), 'mailroom-cli-'));
    const env = { MAILROOM_URL: server.url, MAILROOM_CONFIG_DIR: configDir };
    succeeded(await mailroom(['login', '--user', server.adminAddress, '--password', server.adminPassword], env));
    admin = (...args) => mailroom(args, env);
    const { token } = JSON.parse(readFileSync(join(configDir, 'credentials.json'), 'utf8')) as { token: string };
    read = async (path) => {
      const res = await server.api('GET', path, undefined, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
    rmSync(configDir, { recursive: true, force: true });
  });

  test('--help documents every noun, and each noun its verbs', async () => {
    const help = succeeded(await mailroom(['--help'], {}));
    for (const noun of ['serve', 'login', 'logout', 'domain', 'user', 'shared', 'permission', 'mailbox', 'group', 'address', 'audit']) {
      assert.match(help, new RegExp(`^  ${noun}\\b.*\\S`, 'm'), `${noun} is listed with a description`);
    }
    assert.match(help, /--json/);
    assert.match(help, /MAILROOM_URL/);
    const userHelp = succeeded(await mailroom(['user', '--help'], {}));
    for (const verb of ['add', 'list', 'show', 'remove', 'block', 'unblock', 'set-password', 'set-roles']) assert.match(userHelp, new RegExp(`^  ${verb}\\b.*\\S`, 'm'));
    const setHelp = succeeded(await mailroom(['mailbox', 'set', '--help'], {}));
    for (const option of ['--forward-to', '--no-forward', '--keep-copy', '--auto-reply', '--internal-message', '--external-message', '--external-audience',
      '--start', '--end', '--copy-sent-as', '--copy-send-on-behalf', '--quota-warn', '--quota-send', '--quota-receive', '--hidden', '--json']) {
      assert.ok(setHelp.includes(option), `mailbox set --help mentions ${option}`);
    }
  });

  test('user add alice and bob, then list them as a table and as JSON', async () => {
    const shown = succeeded(await admin('user', 'add', 'alice@contoso.com', '--name', 'Alice Wilber', '--password', 'Alice-password-1'));
    assert.match(shown, /^Address:\s+alice@contoso\.com$/m);
    assert.match(shown, /^Sign-in:\s+Allowed$/m);
    const bob = parsed(await admin('user', 'add', 'bob@contoso.com', '--name', 'Bob Kelly', '--password', 'Bob-password-1', '--json'));
    assert.equal(bob.primaryAddress, 'bob@contoso.com');
    assert.deepEqual(bob.roles, []);
    const carol = parsed(await admin('--json', 'user', 'add', 'carol@contoso.com', '--name', 'Carol Lee', '--password', 'Carol-password-1', '--role', 'exchange-admin'));
    assert.deepEqual(carol.roles, ['exchange-admin']);

    const table = lines(succeeded(await admin('user', 'list')));
    assert.match(table[0]!, /^Address\s+Display name\s+Sign-in\s+Roles$/);
    assert.ok(table.some((l) => /^admin@contoso\.com\s+Administrator\s+Allowed\s+Global Administrator$/.test(l)), table.join('\n'));
    assert.ok(table.some((l) => /^alice@contoso\.com\s+Alice Wilber\s+Allowed\s+-$/.test(l)), table.join('\n'));
    assert.ok(table.some((l) => /^carol@contoso\.com\s+Carol Lee\s+Allowed\s+Exchange Administrator$/.test(l)), table.join('\n'));
    // Columns line up: every row's second column starts where the header's does.
    const column = table[0]!.indexOf('Display name');
    for (const row of table.slice(1)) assert.match(row.slice(column), /^\S/);

    const found = parsed<any[]>(await admin('user', 'list', '--search', 'ali', '--json'));
    assert.deepEqual(found.map((u) => u.primaryAddress), ['alice@contoso.com']);

    refused(await admin('user', 'add', 'Alice@contoso.com', '--name', 'Another Alice', '--password', 'Alice-password-2'),
      'The proxy address "SMTP:Alice@contoso.com" is already being used by the proxy addresses or LegacyExchangeDN of "Alice Wilber". Please choose another proxy address.');
    assert.equal((await read('/users')).length, 4, 'nothing was added');
  });

  test('shared add --name "Sales Team" prints salesteam@contoso.com; its sign-in is blocked', async () => {
    assert.equal(succeeded(await admin('shared', 'suggest', '--name', 'Sales Team')), 'salesteam@contoso.com\n');
    assert.equal(succeeded(await admin('shared', 'add', '--name', 'Sales Team')), 'salesteam@contoso.com\n');
    const shown = parsed(await admin('shared', 'show', 'salesteam@contoso.com', '--json'));
    assert.equal(shown.signInBlocked, true);
    assert.equal(shown.memberCount, 0);
    const users = lines(succeeded(await admin('user', 'list', '--include-shared')));
    assert.ok(users.some((l) => /^salesteam@contoso\.com\s+Sales Team\s+Shared mailbox\s+Sign-in blocked\s+-$/.test(l)), users.join('\n'));
    assert.ok(!lines(succeeded(await admin('user', 'list'))).some((l) => l.startsWith('salesteam@')), 'without --include-shared only people are listed');
  });

  test('shared members add alice bob; permission add SendOnBehalf with --no-automap', async () => {
    const members = lines(succeeded(await admin('shared', 'members', 'add', 'salesteam@contoso.com', 'alice@contoso.com', 'bob')));
    assert.match(members[0]!, /^Trustee\s+Name\s+Type\s+Rights\s+Automap$/);
    assert.match(members[1]!, /^alice@contoso\.com\s+Alice Wilber\s+User mailbox\s+FullAccess, SendAs\s+Yes$/);
    assert.match(members[2]!, /^bob@contoso\.com\s+Bob Kelly\s+User mailbox\s+FullAccess, SendAs\s+Yes$/);
    assert.ok(lines(succeeded(await admin('shared', 'list'))).some((l) => /^salesteam@contoso\.com\s+Sales Team\s+2$/.test(l)));

    const permissions = parsed<any[]>(await admin('permission', 'add', 'salesteam@contoso.com', 'alice@contoso.com', '--rights', 'FullAccess,SendOnBehalf', '--no-automap', '--json'));
    const alice = permissions.find((p) => p.trustee === 'alice@contoso.com');
    assert.deepEqual(alice.rights, ['FullAccess', 'SendAs', 'SendOnBehalf']);
    assert.equal(alice.automap, false);
    assert.equal(permissions.find((p) => p.trustee === 'bob@contoso.com').automap, true);

    const shown = succeeded(await admin('user', 'show', 'alice@contoso.com'));
    assert.match(shown, /^Mailbox access:$/m);
    assert.match(shown, /^salesteam@contoso\.com\s+Sales Team\s+FullAccess, SendAs, SendOnBehalf\s+No\s+direct$/m);
    const access = parsed(await admin('user', 'show', 'alice@contoso.com', '--json')).mailboxAccess;
    assert.deepEqual(access, [{ mailbox: 'salesteam@contoso.com', displayName: 'Sales Team', kind: 'shared', rights: ['FullAccess', 'SendAs', 'SendOnBehalf'], automap: false, via: ['direct'] }]);

    const before = await read('/mailboxes/salesteam@contoso.com/permissions');
    refused(await admin('permission', 'add', 'salesteam@contoso.com', 'someone@outside.example', '--rights', 'FullAccess'),
      '"someone@outside.example" is outside your organization. Shared mailboxes can only be used by people in your organization.');
    refused(await admin('permission', 'add', 'salesteam@contoso.com', 'carol@contoso.com', '--rights', 'FullAccess,Everything'),
      /^option '--rights <rights>' argument 'FullAccess,Everything' is invalid\. Unknown right "Everything"\. Rights: FullAccess, SendAs, SendOnBehalf, ReadOnly, NoDelete\.$/, 2);
    refused(await admin('shared', 'members', 'remove', 'salesteam@contoso.com', 'carol@contoso.com'), '"carol@contoso.com" is not a member of "Sales Team".');
    assert.deepEqual(await read('/mailboxes/salesteam@contoso.com/permissions'), before, 'nothing changed');
  });

  test('mailbox set changes forwarding, automatic replies, sent-item copies, quotas and visibility in one PATCH', async () => {
    const changes = async () => (await read('/audit?target=salesteam@contoso.com&action=mailbox.set')).length;
    const human = succeeded(await admin('mailbox', 'set', 'salesteam@contoso.com',
      '--forward-to', 'bob@contoso.com', '--keep-copy', 'off',
      '--auto-reply', 'scheduled', '--internal-message', 'The sales team is at the fair.', '--external-message', 'Thank you, we answer next week.',
      '--external-audience', 'known', '--start', '2030-03-01T08:00:00Z', '--end', '2030-03-05T18:00:00Z',
      '--copy-sent-as', 'on', '--copy-send-on-behalf', 'on',
      '--quota-warn', '9GB', '--quota-send', '9.5GB', '--quota-receive', '10GB', '--hidden', 'on'));
    assert.match(human, /^Forwarding:\s+To bob@contoso\.com$/m);
    assert.equal(await changes(), 1, 'one PATCH, one audit entry');

    const expected = {
      forwarding: { enabled: true, address: 'bob@contoso.com', keepCopy: false },
      autoReply: {
        state: 'scheduled', start: '2030-03-01T08:00:00.000Z', end: '2030-03-05T18:00:00.000Z',
        internalMessage: 'The sales team is at the fair.', externalMessage: 'Thank you, we answer next week.', externalAudience: 'known',
      },
      sentItems: { copySentAs: true, copySendOnBehalf: true },
      quota: { warnBytes: 9 * 1024 ** 3, sendBytes: 9.5 * 1024 ** 3, receiveBytes: 10 * 1024 ** 3 },
      hiddenFromAddressList: true,
      privateSeen: false,
    };
    assert.deepEqual(parsed(await admin('mailbox', 'show', 'salesteam@contoso.com', '--json')), expected);
    const shown = succeeded(await admin('mailbox', 'show', 'salesteam@contoso.com'));
    for (const line of [/^Keep a copy when forwarding:\s+No$/m, /^Automatic replies:\s+Scheduled, from 2030-03-01T08:00:00\.000Z to 2030-03-05T18:00:00\.000Z$/m,
      /^Reply outside to:\s+Known senders only$/m, /^Copy messages sent as:\s+On$/m, /^Copy messages sent on behalf:\s+On$/m,
      /^Issue warning at:\s+9 GB$/m, /^Prohibit send at:\s+9\.5 GB$/m, /^Prohibit send and receive at:\s+10 GB$/m, /^Hidden from address lists:\s+Yes$/m]) {
      assert.match(shown, line);
    }

    refused(await admin('mailbox', 'set', 'salesteam@contoso.com', '--keep-copy', 'maybe'), `option '--keep-copy <on|off>' argument 'maybe' is invalid. Use "on" or "off".`, 2);
    refused(await admin('mailbox', 'set', 'salesteam@contoso.com', '--hidden', 'off', '--quota-warn', '20GB'),
      'Quotas must satisfy: issue warning ≤ prohibit send ≤ prohibit send and receive.');
    refused(await admin('mailbox', 'set', 'salesteam@contoso.com', '--forward-to', 'nobody@contoso.com'), words.unknown('nobody@contoso.com'));
    refused(await admin('mailbox', 'set', 'salesteam@contoso.com', '--forward-to', 'bob@contoso.com', '--no-forward'),
      "option '--no-forward' cannot be used with option '--forward-to <address>'", 2);
    refused(await admin('mailbox', 'set', 'salesteam@contoso.com'), 'Nothing to change: give at least one setting (see "mailroom mailbox set --help").');
    assert.deepEqual(await read('/mailboxes/salesteam@contoso.com/settings'), expected, 'nothing changed');
    assert.equal(await changes(), 1);

    const stopped = parsed(await admin('mailbox', 'set', 'salesteam@contoso.com', '--no-forward', '--json'));
    assert.deepEqual(stopped, { ...expected, forwarding: { enabled: false, address: null, keepCopy: false } });
  });

  test('user block a b: blocked users cannot log in; unblocking a shared mailbox warns but succeeds', async () => {
    refused(await admin('user', 'block', 'alice@contoso.com', 'nobody@contoso.com'), words.unknown('nobody@contoso.com'));
    assert.equal((await read('/users/alice@contoso.com')).signInBlocked, false, 'all or nothing');

    assert.equal(succeeded(await admin('user', 'block', 'alice@contoso.com', 'bob@contoso.com')),
      'alice@contoso.com: sign-in blocked.\nbob@contoso.com: sign-in blocked.\n');
    const aliceDir = mkdtempSync(join(tmpdir(), 'mailroom-cli-alice-'));
    try {
      refused(await mailroom(['login', '--user', 'alice@contoso.com', '--password', 'Alice-password-1'], { MAILROOM_URL: server.url, MAILROOM_CONFIG_DIR: aliceDir }), words.locked);
      assert.ok(!existsSync(join(aliceDir, 'credentials.json')), 'nothing saved');
    } finally {
      rmSync(aliceDir, { recursive: true, force: true });
    }
    refused(await as('bob@contoso.com', 'Bob-password-1')('user', 'list'), words.locked);
    const users = lines(succeeded(await admin('user', 'list')));
    assert.ok(users.some((l) => /^alice@contoso\.com\s+Alice Wilber\s+Sign-in blocked\s+-$/.test(l)), users.join('\n'));

    succeeded(await admin('user', 'unblock', 'alice@contoso.com', 'bob@contoso.com'));
    assert.equal(succeeded(await as('alice@contoso.com', 'Alice-password-1')('whoami', '--json')).includes('"alice@contoso.com"'), true);

    const unblocked = await admin('user', 'unblock', 'salesteam@contoso.com', '--json');
    assert.equal(unblocked.code, 0, describeResult(unblocked));
    assert.equal(unblocked.stderr, `${messages.sharedUnblockWarning('salesteam@contoso.com')}\n`);
    assert.deepEqual(JSON.parse(unblocked.stdout), [{ address: 'salesteam@contoso.com', signInBlocked: false, changed: true, sharedMailbox: true }]);
    succeeded(await admin('user', 'block', 'salesteam@contoso.com'));
    assert.equal((await read('/shared-mailboxes/salesteam@contoso.com')).signInBlocked, true);
  });

  test('mailbox convert turns a user mailbox into a shared one and back', async () => {
    assert.equal(succeeded(await admin('mailbox', 'convert', 'bob@contoso.com', '--to', 'shared')), 'bob@contoso.com is now a shared mailbox; its sign-in is blocked.\n');
    assert.ok((await read('/shared-mailboxes') as any[]).some((m) => m.primaryAddress === 'bob@contoso.com'));
    refused(await as('bob@contoso.com', 'Bob-password-1')('whoami'), words.locked);
    assert.equal((await read('/shared-mailboxes/salesteam@contoso.com')).memberCount, 2, 'grants stay');

    refused(await admin('mailbox', 'convert', 'bob@contoso.com', '--to', 'user'), 'Give the password with --password (standard input is not a terminal, so there is no prompt).');
    refused(await admin('mailbox', 'convert', 'carol@contoso.com', '--to', 'shared'),
      '"carol@contoso.com" holds an admin role. Remove its roles before converting it to a shared mailbox.');
    assert.equal((await read('/users/bob@contoso.com')).kind, 'shared', 'still shared');
    assert.equal((await read('/users/carol@contoso.com')).kind, 'user');

    const back = parsed(await admin('mailbox', 'convert', 'bob@contoso.com', '--to', 'user', '--password', 'Bob-password-2', '--json'));
    assert.equal(back.kind, 'user');
    assert.equal(back.signInBlocked, false);
    assert.match(succeeded(await as('bob@contoso.com', 'Bob-password-2')('whoami')), /^Address:\s+bob@contoso\.com$/m);
  });

  test('groups: a distribution group and a mail-disabled security group with members', async () => {
    succeeded(await admin('group', 'add', 'sales-dl@contoso.com', '--name', 'Sales DL', '--type', 'distribution'));
    const security = parsed(await admin('group', 'add', 'sales-sec@contoso.com', '--name', 'Sales Security', '--type', 'security', '--no-mail', '--json'));
    assert.equal(security.mailEnabled, false);
    refused(await admin('group', 'add', 'x@contoso.com', '--name', 'X', '--type', 'distribution', '--no-mail'), 'A distribution group is always mail-enabled.');
    refused(await admin('group', 'add', 'x@contoso.com', '--name', 'X', '--type', 'team'), /^option '--type <type>' argument 'team' is invalid\./, 2);

    const members = lines(succeeded(await admin('group', 'members', 'add', 'sales-dl@contoso.com', 'alice@contoso.com', 'bob@contoso.com', 'salesteam@contoso.com')));
    assert.match(members[0]!, /^Member\s+Name\s+Type$/);
    assert.equal(members.length, 4);
    refused(await admin('group', 'members', 'add', 'sales-dl@contoso.com', 'carol@contoso.com', 'nobody@contoso.com'), words.unknown('nobody@contoso.com'));
    assert.deepEqual(parsed<any[]>(await admin('group', 'members', 'list', 'sales-dl@contoso.com', '--json')).map((m) => m.address),
      ['alice@contoso.com', 'bob@contoso.com', 'salesteam@contoso.com'], 'all or nothing');

    succeeded(await admin('group', 'members', 'add', 'sales-sec@contoso.com', 'carol@contoso.com'));
    succeeded(await admin('permission', 'add', 'salesteam@contoso.com', 'sales-sec@contoso.com', '--rights', 'FullAccess'));
    assert.match(succeeded(await admin('user', 'show', 'carol@contoso.com')), /^salesteam@contoso\.com\s+Sales Team\s+FullAccess\s+Yes\s+sales-sec@contoso\.com$/m);

    const list = lines(succeeded(await admin('group', 'list')));
    assert.match(list[0]!, /^Address\s+Display name\s+Type\s+Mail-enabled\s+Members$/);
    assert.ok(list.some((l) => /^sales-dl@contoso\.com\s+Sales DL\s+Distribution group\s+Yes\s+3$/.test(l)), list.join('\n'));
    assert.ok(list.some((l) => /^sales-sec@contoso\.com\s+Sales Security\s+Security group\s+No\s+1$/.test(l)), list.join('\n'));

    const removed = parsed(await admin('group', 'members', 'remove', 'sales-dl@contoso.com', 'bob@contoso.com', '--json'));
    assert.deepEqual(removed.members.map((m: any) => m.address), ['alice@contoso.com', 'salesteam@contoso.com']);
    assert.match(succeeded(await admin('group', 'show', 'sales-dl@contoso.com')), /^Members:\s+2$/m);

    succeeded(await admin('permission', 'remove', 'salesteam@contoso.com', 'sales-sec@contoso.com', '--rights', 'FullAccess'));
    assert.equal(succeeded(await admin('group', 'remove', 'sales-sec@contoso.com')), 'Removed sales-sec@contoso.com.\n');
    refused(await admin('group', 'show', 'sales-sec@contoso.com'), words.unknown('sales-sec@contoso.com'));
  });

  test('domain add fabrikam.com; info@ in both domains; the proxy address conflict is refused', async () => {
    assert.equal(succeeded(await admin('domain', 'add', 'fabrikam.com')), 'Added fabrikam.com.\n');
    assert.deepEqual(parsed<any[]>(await admin('domain', 'list', '--json')).map((d) => [d.name, d.isDefault]), [['contoso.com', true], ['fabrikam.com', false]]);

    assert.equal(succeeded(await admin('shared', 'add', '--name', 'Info', '--address', 'info@contoso.com')), 'info@contoso.com\n');
    assert.equal(succeeded(await admin('shared', 'add', '--name', 'Info', '--address', 'info@fabrikam.com')), 'info@fabrikam.com\n');
    const info = async () => (await read('/shared-mailboxes?search=info') as any[]).map((m) => m.primaryAddress).sort();
    assert.deepEqual(await info(), ['info@contoso.com', 'info@fabrikam.com']);

    refused(await admin('shared', 'add', '--name', 'Info'), words.infoInUse);
    refused(await admin('address', 'add', 'alice@contoso.com', 'info@contoso.com'), words.infoInUse);
    assert.deepEqual(await info(), ['info@contoso.com', 'info@fabrikam.com'], 'no third mailbox');
    assert.deepEqual((await read('/users/alice@contoso.com')).proxyAddresses, [], 'no alias added');

    assert.match(succeeded(await admin('address', 'add', 'alice@contoso.com', 'a.wilber@fabrikam.com')), /^Other addresses:\s+a\.wilber@fabrikam\.com$/m);
    refused(await admin('domain', 'remove', 'fabrikam.com'), 'The domain "fabrikam.com" is still used by 2 address(es). Remove or change those addresses first.');
    assert.deepEqual(parsed(await admin('address', 'remove', 'alice@contoso.com', 'a.wilber@fabrikam.com', '--json')).proxyAddresses, []);
    refused(await admin('address', 'remove', 'alice@contoso.com', 'alice@contoso.com'), '"alice@contoso.com" is the primary address of "Alice Wilber" and can\'t be removed.');

    const domains = lines(succeeded(await admin('domain', 'set-default', 'fabrikam.com')));
    assert.match(domains[0]!, /^Domain\s+Default\s+Added$/);
    assert.match(domains.find((l) => l.startsWith('fabrikam.com'))!, /^fabrikam\.com\s+Default\s/);
    assert.equal(succeeded(await admin('shared', 'suggest', '--name', 'Help Desk')), 'helpdesk@fabrikam.com\n');
    succeeded(await admin('domain', 'set-default', 'contoso.com'));
    succeeded(await admin('domain', 'add', 'northwind.com'));
    assert.deepEqual(parsed(await admin('domain', 'remove', 'northwind.com', '--json')), { removed: 'northwind.com' });
  });

  test('a user without an admin role is refused, and nothing changes', async () => {
    const alice = as('alice@contoso.com', 'Alice-password-1');
    refused(await alice('user', 'add', 'eve@contoso.com', '--name', 'Eve', '--password', 'Eve-password-1'), words.permissionDenied);
    refused(await alice('shared', 'members', 'add', 'info@contoso.com', 'alice@contoso.com'), words.permissionDenied);
    refused(await alice('mailbox', 'set', 'salesteam@contoso.com', '--hidden', 'off'), words.permissionDenied);
    refused(await alice('user', 'list'), words.permissionDenied);
    assert.deepEqual(await read('/users?search=eve'), []);
    assert.equal((await read('/shared-mailboxes/info@contoso.com')).memberCount, 0);
    assert.equal((await read('/mailboxes/salesteam@contoso.com/settings')).hiddenFromAddressList, true);

    // An Exchange Administrator manages recipients but not the organization's domains or roles.
    const carol = as('carol@contoso.com', 'Carol-password-1');
    refused(await carol('domain', 'add', 'northwind.com'), words.permissionDenied);
    refused(await carol('user', 'set-roles', 'alice@contoso.com', '--role', 'global-admin'), words.permissionDenied);
    assert.deepEqual((await read('/domains') as any[]).map((d) => d.name), ['contoso.com', 'fabrikam.com']);
    assert.deepEqual((await read('/users/alice@contoso.com')).roles, []);
    assert.equal(parsed<any[]>(await carol('user', 'list', '--json')).length, 4, 'but may list users');
  });

  test('audit list --target shows what was done to the shared mailbox, newest first', async () => {
    const table = lines(succeeded(await admin('audit', 'list', '--target', 'salesteam@contoso.com')));
    assert.match(table[0]!, /^Time\s+Actor\s+Action\s+Target$/);
    for (const action of ['shared.add', 'member.add', 'permission.add', 'permission.remove', 'mailbox.set', 'user.unblock', 'user.block']) {
      assert.ok(table.some((l) => new RegExp(`\\sadmin@contoso\\.com\\s+${action.replace('.', '\\.')}\\s+salesteam@contoso\\.com$`).test(l)), `${action}:\n${table.join('\n')}`);
    }
    const entries = parsed<any[]>(await admin('audit', 'list', '--target', 'salesteam@contoso.com', '--json'));
    assert.ok(entries.every((e) => e.target === 'salesteam@contoso.com'));
    assert.equal(entries.at(-1).action, 'shared.add', 'oldest last');
    assert.deepEqual(entries.filter((e) => e.action === 'member.add').map((e) => e.after.member).sort(), ['alice@contoso.com', 'bob@contoso.com']);

    const latest = parsed<any[]>(await admin('audit', 'list', '--action', 'member.', '--limit', '1', '--actor', 'admin@contoso.com', '--json'));
    assert.equal(latest.length, 1);
    assert.equal(latest[0].action, 'member.add');
    assert.equal(succeeded(await admin('audit', 'list', '--since', '2999-01-01T00:00:00Z')), 'No audit entries found.\n');
    refused(await admin('audit', 'list', '--since', 'yesterday'), '"yesterday" is not an ISO 8601 time.');
    refused(await admin('audit', 'list', '--limit', '0'), "option '--limit <n>' argument '0' is invalid. Use a whole number from 1 to 10000.", 2);
  });

  test('usage errors and unknown recipients are one line on stderr', async () => {
    refused(await admin('user', 'show', 'nobody@contoso.com'), words.unknown('nobody@contoso.com'));
    refused(await admin('shared', 'show', 'alice@contoso.com'), words.unknown('alice@contoso.com'));
    refused(await admin('user', 'lst'), /^unknown command 'lst'/, 2);
    refused(await admin('user', 'add', 'dave@contoso.com', '--password', 'Dave-password-1'), "required option '--name <display>' not specified", 2);
    refused(await admin('user', 'add', 'dave@contoso.com', '--name', 'Dave', '--password', 'Dave-password-1', '--role', 'owner'),
      "option '--role <role>' argument 'owner' is invalid. Roles are global-admin and exchange-admin.", 2);
    refused(await admin('user', 'set-password', 'alice@contoso.com', '--password', 'short'), 'A password must be 8 to 256 characters long.');
    refused(await admin('user', 'remove', 'admin@contoso.com'), 'The organization must keep at least one Global Administrator who can sign in.');
  });
});

describe('mailroom login and logout: the saved session', () => {
  let server: TestServer;
  let configDir: string;
  let env: CliEnv;
  const credentialsFile = () => join(configDir, 'credentials.json');

  before(async () => {
    server = await startServer();
    configDir = mkdtempSync(join(tmpdir(), 'mailroom-cli-login-'));
    env = { MAILROOM_URL: server.url, MAILROOM_CONFIG_DIR: configDir };
    await server.api('POST', '/users', { address: 'alice@contoso.com', displayName: 'Alice Wilber', password: 'Alice-password-1' });
  });
  after(async () => {
    await server.stop();
    removeDataDir(server.dataDir);
    rmSync(configDir, { recursive: true, force: true });
  });

  test('login saves url, address, token and expiry, readable by the owner only; commands then need no password', async () => {
    const out = succeeded(await mailroom(['login', '--user', 'Admin@Contoso.com', '--password', server.adminPassword], env));
    assert.match(out, new RegExp(`^Signed in to ${server.url.replace(/\./g, '\\.')} as Administrator <admin@contoso\\.com> until \\S+\\.\\n$`));
    assert.equal(statSync(credentialsFile()).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(credentialsFile(), 'utf8'));
    assert.deepEqual(Object.keys(saved).sort(), ['address', 'expiresAt', 'token', 'url']);
    assert.equal(saved.url, server.url);
    assert.equal(saved.address, 'admin@contoso.com');
    assert.ok(Date.parse(saved.expiresAt) > Date.now());
    assert.equal((await server.api('GET', '/me', undefined, { token: saved.token })).status, 200);
    assert.ok(!JSON.stringify(saved).includes(server.adminPassword), 'the password is not saved');

    assert.match(succeeded(await mailroom(['whoami'], env)), /^Roles:\s+Global Administrator$/m);
    assert.deepEqual(parsed<any[]>(await mailroom(['user', 'list', '--json'], env)).map((u) => u.primaryAddress), ['admin@contoso.com', 'alice@contoso.com']);
  });

  test('logout revokes the token on the server and deletes the file', async () => {
    const { token } = JSON.parse(readFileSync(credentialsFile(), 'utf8'));
    assert.equal(succeeded(await mailroom(['logout'], env)), `Signed out admin@contoso.com from ${server.url}.\n`);
    assert.ok(!existsSync(credentialsFile()));
    assert.equal((await server.api('GET', '/me', undefined, { token })).status, 401, 'revoked');
    refused(await mailroom(['user', 'list'], env), words.notSignedIn);
    assert.equal(succeeded(await mailroom(['logout'], env)), 'Not signed in.\n');
  });

  test('a revoked or expired saved session tells to run mailroom login', async () => {
    succeeded(await mailroom(['login', '--user', 'admin@contoso.com', '--password', server.adminPassword], env));
    const saved = JSON.parse(readFileSync(credentialsFile(), 'utf8'));
    assert.equal((await server.api('DELETE', '/auth/token', undefined, { token: saved.token })).status, 204);
    refused(await mailroom(['user', 'list'], env),
      'The saved sign-in of admin@contoso.com is no longer valid (Sign in to continue). Run "mailroom login" to sign in again.');

    writeFileSync(credentialsFile(), JSON.stringify({ ...saved, expiresAt: '2020-01-01T00:00:00.000Z' }), { mode: 0o600 });
    refused(await mailroom(['user', 'list'], env),
      'The saved sign-in of admin@contoso.com expired at 2020-01-01T00:00:00.000Z. Run "mailroom login" to sign in again.');
    refused(await mailroom(['user', 'list'], { ...env, MAILROOM_URL: 'http://localhost:1' }),
      `The saved sign-in is for ${server.url}, not http://localhost:1. Run "mailroom login" to sign in to http://localhost:1.`);
    succeeded(await mailroom(['logout'], env));
  });

  test('without a terminal, login takes --user/--password or MAILROOM_USER/MAILROOM_PASSWORD, or fails clearly', async () => {
    refused(await mailroom(['login'], env), 'Give the address with --user or MAILROOM_USER (standard input is not a terminal, so there is no prompt).');
    refused(await mailroom(['login', '--user', 'alice@contoso.com'], env),
      'Give the password with --password, or MAILROOM_PASSWORD together with MAILROOM_USER (standard input is not a terminal, so there is no prompt).');
    refused(await mailroom(['login', '--user', 'alice@contoso.com', '--password', 'wrong-password'], env), 'Your account or password is incorrect.');
    assert.ok(!existsSync(credentialsFile()));

    const fromEnv = { ...env, MAILROOM_USER: 'alice@contoso.com', MAILROOM_PASSWORD: 'Alice-password-1' };
    const result = parsed(await mailroom(['login', '--json'], fromEnv));
    assert.equal(result.address, 'alice@contoso.com');
    assert.equal(result.token, undefined, 'the token is not printed');
    assert.equal(JSON.parse(readFileSync(credentialsFile(), 'utf8')).address, 'alice@contoso.com');
    // The saved session of a user without a role: signed in, but refused admin actions.
    refused(await mailroom(['user', 'list'], env), words.permissionDenied);
    succeeded(await mailroom(['logout'], env));
  });

  test('an unreachable server is one clear line', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    refused(await mailroom(['user', 'list'], { MAILROOM_URL: url, MAILROOM_USER: 'admin@contoso.com', MAILROOM_PASSWORD: 'x', MAILROOM_CONFIG_DIR: configDir }),
      `cannot reach the Mailroom server at ${url} (connection refused). Is it running? MAILROOM_URL sets where to find it.`);
    refused(await mailroom(['login', '--user', 'admin@contoso.com', '--password', 'x'], { MAILROOM_URL: url, MAILROOM_CONFIG_DIR: configDir }),
      `cannot reach the Mailroom server at ${url} (connection refused). Is it running? MAILROOM_URL sets where to find it.`);
  });
});
