import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.match(c.dataDir, /\/data$/);
    assert.equal(c.host, '127.0.0.1');
    assert.deepEqual([c.smtpPort, c.submissionPort, c.imapPort, c.imapsPort, c.httpPort], [2525, 2587, 2143, 2993, 8080]);
    assert.equal(c.domain, 'example.test');
    assert.equal(c.adminPassword, undefined);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.smarthost, undefined);
  });

  it('honours every setting', () => {
    const c = loadConfig({
      MAILROOM_DATA_DIR: '/tmp/x', MAILROOM_HOST: '0.0.0.0', MAILROOM_SMTP_PORT: '25', MAILROOM_SUBMISSION_PORT: '587',
      MAILROOM_IMAP_PORT: '143', MAILROOM_IMAPS_PORT: '0', MAILROOM_HTTP_PORT: '80', MAILROOM_DOMAIN: 'Contoso.com',
      MAILROOM_ADMIN_PASSWORD: 'pw', DATABASE_URL: 'postgres://h/db', MAILROOM_SMARTHOST: 'relay:25',
    });
    assert.equal(c.dataDir, '/tmp/x');
    assert.equal(c.host, '0.0.0.0');
    assert.deepEqual([c.smtpPort, c.submissionPort, c.imapPort, c.imapsPort, c.httpPort], [25, 587, 143, 0, 80]);
    assert.equal(c.domain, 'contoso.com');
    assert.equal(c.adminPassword, 'pw');
    assert.equal(c.databaseUrl, 'postgres://h/db');
    assert.equal(c.smarthost, 'relay:25');
  });

  it('reads the outbound queue and DKIM settings, which go in pairs', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.queueLifetimeSeconds, 2 * 24 * 3600);
    assert.equal(defaults.queueRetryBaseSeconds, 60);
    assert.equal(defaults.dkimSelector, undefined);
    const c = loadConfig({ MAILROOM_QUEUE_LIFETIME: '600', MAILROOM_QUEUE_RETRY_BASE: '5', MAILROOM_DKIM_SELECTOR: 'mail', MAILROOM_DKIM_KEY: '/etc/dkim.pem', MAILROOM_DKIM_DOMAIN: 'Contoso.com' });
    assert.deepEqual([c.queueLifetimeSeconds, c.queueRetryBaseSeconds, c.dkimSelector, c.dkimKeyFile, c.dkimDomain], [600, 5, 'mail', '/etc/dkim.pem', 'contoso.com']);
    assert.throws(() => loadConfig({ MAILROOM_DKIM_SELECTOR: 'mail' }), /MAILROOM_DKIM_SELECTOR and MAILROOM_DKIM_KEY go together/);
    assert.throws(() => loadConfig({ MAILROOM_QUEUE_RETRY_BASE: '0' }), /MAILROOM_QUEUE_RETRY_BASE must be a positive integer/);
  });

  it('refuses a port that is not a port', () => {
    assert.throws(() => loadConfig({ MAILROOM_HTTP_PORT: '99999' }), /MAILROOM_HTTP_PORT must be a port number/);
    assert.throws(() => loadConfig({ MAILROOM_SMTP_PORT: 'smtp' }), /MAILROOM_SMTP_PORT/);
  });
});
