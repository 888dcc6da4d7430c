import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertStatus, encode } from './api-helpers.js';
import { mailroom, succeeded } from './cli-helpers.js';
import { removeDataDir } from './harness.js';
import { createOrganization, deliver, eventually, startImapServer, type ImapServer, type Organization } from './imap-helpers.js';
import { createMailUser, passwordOf } from './mail-helpers.js';
import { RawImap } from './imap-raw-client.js';

// The authorization matrix (issue 4), command by command, with the exact response codes:
// member, member through a security group, read-only, no-delete, non-member, blocked, delegated.
describe('IMAP authorization matrix', () => {
  let server: ImapServer;
  let org: Organization;
  const raws: RawImap[] = [];
  const box = 'Shared/info@contoso.com/INBOX';
  let n = 0;

  const raw = async (user: string): Promise<RawImap> => {
    const connection = await RawImap.open(server.imapPort);
    raws.push(connection);
    // RFC 3501 §4.3: a quoted string escapes the backslash of a delegated login.
    await connection.login(user.replace(/\\/g, '\\\\'), passwordOf(user.split('\\')[0]!));
    return connection;
  };
  const run = async (connection: RawImap, text: string) => connection.command(`R${++n}`, text);
  const done = async (connection: RawImap, text: string): Promise<string> => (await run(connection, text)).done.replace(/^R\d+ /, '');
  const grant = async (trustee: string, rights: string[], automap = true) =>
    assertStatus(await server.admin('POST', `/mailboxes/${encode(org.info)}/permissions`, { trustee, rights, automap }), 200);

  before(async () => {
    server = await startImapServer();
    org = await createOrganization(server);
    for (const address of ['dave@contoso.com', 'erin@contoso.com', 'frank@contoso.com', 'gina@contoso.com', 'hank@contoso.com']) {
      await createMailUser(server, address, address.split('@')[0]!);
    }
    // dave through a security group; erin read-only; frank no-delete; gina automap off.
    assertStatus(await server.admin('POST', '/groups', { address: 'support@contoso.com', displayName: 'Support', type: 'security' }), 201);
    assertStatus(await server.admin('POST', `/groups/${encode('support@contoso.com')}/members`, { members: ['dave@contoso.com'] }), 200);
    await grant('support@contoso.com', ['FullAccess']);
    await grant('erin@contoso.com', ['ReadOnly']);
    await grant('frank@contoso.com', ['NoDelete']);
    await grant('gina@contoso.com', ['FullAccess'], false);
    await deliver(server, org.info, 'One');
    await deliver(server, org.info, 'Two');
    const alice = await raw(org.alice.address);
    await eventually(async () => (await run(alice, `STATUS "${box}" (MESSAGES)`)).untagged.join('').includes('MESSAGES 2'));
  });
  after(async () => {
    for (const r of raws) r.close();
    await server?.server.stop();
    if (server) removeDataDir(server.server.dataDir);
  });

  it('a FullAccess member, directly or through a security group, holds every right', async () => {
    for (const user of [org.alice.address, 'dave@contoso.com']) {
      const c = await raw(user);
      assert.match((await run(c, `MYRIGHTS "${box}"`)).untagged.join(''), /MYRIGHTS .* "?lrswipkxteacd"?$/);
      assert.match((await run(c, 'LIST "" "Shared/*"')).untagged.join('\n'), /Shared\/info@contoso.com\/INBOX/);
      assert.match(await done(c, `SELECT "${box}"`), /^OK \[READ-WRITE\]/);
      assert.match(await done(c, 'STORE 1 +FLAGS (\\Flagged)'), /^OK/);
      assert.match(await done(c, `GETACL "${box}"`), /^OK/);
      assert.match(await done(c, 'UNSELECT'), /^OK/);
    }
  });

  it('GETACL shows the owner, the grants and the folder\'s entries; SETACL/DELETEACL change them', async () => {
    const alice = await raw(org.alice.address);
    const acl = (await run(alice, `GETACL "${box}"`)).untagged.join('');
    assert.match(acl, /info@contoso.com "?lrswipkxteacd"?/);
    assert.match(acl, /alice@contoso.com "?lrswipkxteacd"?/);
    assert.match(acl, /support@contoso.com "?lrswipkxteacd"?/);
    assert.match(acl, /erin@contoso.com "?lr"?/);
    assert.match(acl, /frank@contoso.com "?lrswipkc"?/);
    // bob loses "t" and "e" on this folder only.
    assert.match(await done(alice, `SETACL "${box}" bob@contoso.com -te`), /^OK/);
    assert.match((await run(alice, `GETACL "${box}"`)).untagged.join(''), /bob@contoso.com "?lrswipkxacd"?/);
    const bob = await raw(org.bob.address);
    assert.match(await done(bob, `SELECT "${box}"`), /^OK/);
    assert.match(await done(bob, 'STORE 1 +FLAGS (\\Deleted)'), /^NO \[NOPERM\]/);
    assert.match(await done(bob, 'EXPUNGE'), /^NO \[NOPERM\]/);
    assert.match(await done(alice, `DELETEACL "${box}" bob@contoso.com`), /^OK/);
    assert.match((await run(bob, `MYRIGHTS "${box}"`)).untagged.join(''), /lrswipkxteacd/);
    // Unknown identifiers, the owner's rights, and rights only "a" may change.
    assert.match(await done(alice, `SETACL "${box}" nobody@contoso.com lr`), /^NO/);
    assert.match(await done(alice, `SETACL "${box}" info@contoso.com lr`), /^NO \[CANNOT\]/);
    assert.match(await done(alice, `SETACL "${box}" anyone +l`), /^OK/);
    assert.match(await done(alice, `DELETEACL "${box}" anyone`), /^OK/);
    assert.match((await run(alice, `LISTRIGHTS "${box}" bob@contoso.com`)).untagged.join(''), /LISTRIGHTS .* bob@contoso.com "" l r s w i p k x t e a/);
    const erin = await raw('erin@contoso.com');
    assert.match(await done(erin, `SETACL "${box}" erin@contoso.com +a`), /^NO \[NOPERM\]/);
    assert.match(await done(erin, `GETACL "${box}"`), /^NO \[NOPERM\]/);
  });

  it('a ReadOnly member opens READ-ONLY and cannot change anything', async () => {
    const erin = await raw('erin@contoso.com');
    assert.match((await run(erin, `MYRIGHTS "${box}"`)).untagged.join(''), /MYRIGHTS .* "?lr"?$/);
    assert.match(await done(erin, `SELECT "${box}"`), /^OK \[READ-ONLY\]/);
    assert.match(await done(erin, 'STORE 1 +FLAGS (\\Seen)'), /^NO/);
    assert.match(await done(erin, 'EXPUNGE'), /^NO/);
    assert.match(await done(erin, 'CREATE "Shared/info@contoso.com/Erin"'), /^NO \[NOPERM\]/);
    assert.match(await done(erin, 'DELETE "Shared/info@contoso.com/Archive"'), /^NO/);
  });

  it('a NoDelete member sets flags but cannot set \\Deleted, expunge or delete folders', async () => {
    const frank = await raw('frank@contoso.com');
    assert.match(await done(frank, `SELECT "${box}"`), /^OK \[READ-WRITE\]/);
    assert.match(await done(frank, 'STORE 1 +FLAGS (\\Deleted)'), /^NO \[NOPERM\]/);
    assert.match(await done(frank, 'STORE 1 +FLAGS (\\Seen $Important)'), /^OK/);
    assert.match(await done(frank, 'EXPUNGE'), /^NO \[NOPERM\]/);
    assert.match(await done(frank, 'CREATE "Shared/info@contoso.com/Frank"'), /^OK/);
    assert.match(await done(frank, 'DELETE "Shared/info@contoso.com/Frank"'), /^NO \[NOPERM\]/);
    assert.match(await done(frank, 'RENAME "Shared/info@contoso.com/Frank" "Shared/info@contoso.com/F"'), /^NO \[NOPERM\]/);
  });

  it('a non-member gets NONEXISTENT everywhere, exactly as for a missing mailbox', async () => {
    const carol = await raw(org.carol.address);
    for (const command of [`SELECT "${box}"`, `EXAMINE "${box}"`, `STATUS "${box}" (MESSAGES)`, `DELETE "${box}"`, `RENAME "${box}" "X"`,
      `GETACL "${box}"`, `MYRIGHTS "${box}"`, `SETACL "${box}" anyone lr`, `GETQUOTAROOT "${box}"`, `SUBSCRIBE "${box}"`]) {
      assert.match(await done(carol, command), /^NO \[NONEXISTENT\]/, command);
      assert.match(await done(carol, command.replace('info@contoso.com', 'missing@contoso.com')), /^NO \[NONEXISTENT\]/, command);
    }
    assert.doesNotMatch((await run(carol, 'LIST "" "*"')).untagged.join('\n'), /info@contoso.com/);
  });

  it('the shared mailbox\'s own blocked account cannot sign in; a delegated login opens it as personal', async () => {
    const blocked = await RawImap.open(server.imapPort);
    raws.push(blocked);
    assert.match((await blocked.command('B1', `LOGIN "${org.info}" "whatever-password"`)).done, /^B1 NO/);
    const delegated = await raw(`${org.alice.address}\\${org.info}`);
    assert.match((await run(delegated, 'MYRIGHTS "INBOX"')).untagged.join(''), /lrswipkxteacd/);
    assert.match((await run(delegated, 'GETQUOTAROOT "INBOX"')).untagged.join('\n'), /QUOTAROOT INBOX info@contoso.com/);
    assert.match(await done(delegated, 'CREATE "Delegated"'), /^OK/);
    assert.match(await done(delegated, 'DELETE "Delegated"'), /^OK/);
  });

  it('automap off: not listed, but opens by name', async () => {
    const gina = await raw('gina@contoso.com');
    assert.doesNotMatch((await run(gina, 'LIST "" "*"')).untagged.join('\n'), /info@contoso.com/);
    assert.match(await done(gina, `SELECT "${box}"`), /^OK \[READ-WRITE\]/);
  });

  it('removing a grant removes the Shared/ folders from LIST and LSUB at once', async () => {
    const dave = await raw('dave@contoso.com');
    assert.match((await run(dave, 'LSUB "" "*"')).untagged.join('\n'), /info@contoso.com\/INBOX/);
    assertStatus(await server.admin('POST', `/mailboxes/${encode(org.info)}/permissions/remove`, { trustee: 'support@contoso.com', rights: ['FullAccess'] }), 200);
    assert.doesNotMatch((await run(dave, 'LIST "" "*"')).untagged.join('\n'), /info@contoso.com/);
    assert.doesNotMatch((await run(dave, 'LSUB "" "*"')).untagged.join('\n'), /info@contoso.com/);
    assert.match(await done(dave, `SELECT "${box}"`), /^NO \[NONEXISTENT\]/);
  });

  it('`mailroom permission add --rights ReadOnly` takes effect in IMAP', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'mailroom-imap-cli-'));
    const env = { MAILROOM_URL: server.server.url, MAILROOM_CONFIG_DIR: configDir };
    succeeded(await mailroom(['login', '--user', server.server.adminAddress, '--password', server.server.adminPassword], env));
    succeeded(await mailroom(['permission', 'add', org.info, 'hank@contoso.com', '--rights', 'ReadOnly'], env));
    const hank = await raw('hank@contoso.com');
    assert.match(await done(hank, `SELECT "${box}"`), /^OK \[READ-ONLY\]/);
    assert.match(await done(hank, 'STORE 1 +FLAGS (\\Flagged)'), /^NO/);
    succeeded(await mailroom(['mailbox', 'set', org.info, '--private-seen', 'on'], env));
    assert.match(succeeded(await mailroom(['mailbox', 'show', org.info], env)), /Private read state.*On/);
  });
});
