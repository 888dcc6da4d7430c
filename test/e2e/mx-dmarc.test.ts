import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDnsStub, type DnsStub } from './dns-stub.js';
import { removeDataDir } from './harness.js';
import {
  createMailUser, fetchRaw, plainMessage, refusedByNodemailer, sendWithNodemailer, startMailServer, waitForMessages, type MailServer, type MailUser,
} from './mail-helpers.js';

/**
 * Issue 3: "SPF, DKIM and DMARC are evaluated with mailauth and recorded in Authentication-Results
 * (no rejection by default; a setting turns DMARC reject on)", end to end: a local DNS server
 * publishes the sender domain's policies, and the MX asks it (MAILROOM_DNS_SERVERS).
 */
describe('DMARC at the MX, against published policies', () => {
  let dns: DnsStub;
  const servers: MailServer[] = [];
  const spoofed = plainMessage({ from: 'ceo@fabrikam.com', to: 'alice@contoso.com', subject: 'Wire the money' });

  before(async () => {
    dns = await startDnsStub({
      // SPF allows no host at all and DMARC asks receivers to reject what fails.
      'fabrikam.com': ['v=spf1 -all'],
      '_dmarc.fabrikam.com': ['v=DMARC1; p=reject; adkim=s; aspf=s'],
      // A domain without any policy.
      'tailspin.com': [],
    });
  });
  after(async () => {
    for (const mail of servers) {
      await mail.server.stop();
      removeDataDir(mail.server.dataDir);
    }
    await dns?.close();
  });

  async function serverWith(dmarcReject: boolean): Promise<{ mail: MailServer; alice: MailUser }> {
    const mail = await startMailServer({ env: { MAILROOM_DNS_SERVERS: dns.address, MAILROOM_DMARC_REJECT: dmarcReject ? 'on' : 'off' } });
    servers.push(mail);
    return { mail, alice: await createMailUser(mail, 'alice@contoso.com') };
  }

  test('with MAILROOM_DMARC_REJECT=on, a message failing a p=reject policy is refused 550 5.7.1 and not stored', async () => {
    const { mail, alice } = await serverWith(true);
    const refusal = await refusedByNodemailer(mail.smtpPort, { from: 'ceo@fabrikam.com', to: [alice.address] }, spoofed);
    assert.equal(refusal.responseCode, 550);
    assert.match(refusal.response, /^550 5\.7\.1 Rejected by the sender domain's DMARC policy/);
    assert.ok(dns.asked.includes('TXT _dmarc.fabrikam.com'), `the policy was looked up: ${dns.asked.join(', ')}`);
    // A domain without a DMARC policy is still accepted.
    const sent = await sendWithNodemailer(mail.smtpPort, { from: 'news@tailspin.com', to: [alice.address] },
      plainMessage({ from: 'news@tailspin.com', to: alice.address, subject: 'No policy here' }));
    assert.deepEqual(sent.accepted, [alice.address]);
    const inbox = await waitForMessages(alice, alice.address, 1);
    assert.deepEqual(inbox.map((m) => m.subject), ['No policy here']);
  });

  test('by default the same message is delivered, with the failure recorded in Authentication-Results', async () => {
    const { mail, alice } = await serverWith(false);
    const sent = await sendWithNodemailer(mail.smtpPort, { from: 'ceo@fabrikam.com', to: [alice.address] }, spoofed);
    assert.deepEqual(sent.accepted, [alice.address]);
    const [stored] = await waitForMessages(alice, alice.address, 1);
    const raw = (await fetchRaw(mail.server, alice.token, alice.address, stored!.uid)).toString('latin1');
    const results = /^Authentication-Results:[^\r\n]*(?:\r\n[ \t][^\r\n]*)*/m.exec(raw)?.[0] ?? '';
    assert.match(results, /spf=fail/);
    assert.match(results, /dmarc=fail/);
    assert.match(results, /p=reject/i);
  });
});
