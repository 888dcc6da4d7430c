import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { ensureOrganization } from '../../../admin/bootstrap.js';
import { ChangeFeed, type MailChange } from '../../../store/change-feed.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../../store/sql/database.js';
import { registerDav } from './dav-plugin.js';

/** The DAV plugin in-process: a write is made durable first, then published on the change feed. */
describe('CalDAV writes and the change feed', () => {
  let dir: string;
  let database: OpenDatabase;
  let app: FastifyInstance;
  const feed = new ChangeFeed();
  const events: string[] = [];
  const auth = `Basic ${Buffer.from('admin@contoso.com:Admin-pass-1').toString('base64')}`;
  const ics = (summary: string) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', 'UID:u1', 'DTSTAMP:20260101T000000Z',
    'DTSTART:20260105T090000Z', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-dav-plugin-'));
    database = openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    await ensureOrganization(database.db, 'contoso.com', 'Admin-pass-1');
    app = Fastify();
    await registerDav(app, { db: database.db, feed, durable: async () => { events.push('durable'); } });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PUT, PROPPATCH and DELETE each publish one calendar-changed change after the commit is durable', async () => {
    const changes: MailChange[] = [];
    const unsubscribe = feed.subscribeAll((change) => { events.push('published'); changes.push(change); });
    const url = '/dav/calendars/admin@contoso.com/calendar/u1.ics';
    const put = await app.inject({ method: 'PUT', url, headers: { authorization: auth, 'content-type': 'text/calendar' }, payload: ics('one') });
    assert.equal(put.statusCode, 201);
    // light-my-request types only the standard methods; Fastify routes PROPPATCH once registered.
    const patch = await app.inject({ method: 'PROPPATCH' as 'POST', url: '/dav/calendars/admin@contoso.com/calendar/', headers: { authorization: auth, 'content-type': 'application/xml' },
      payload: '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Mine</d:displayname></d:prop></d:set></d:propertyupdate>' });
    assert.equal(patch.statusCode, 207);
    const refused = await app.inject({ method: 'PUT', url, headers: { authorization: auth, 'content-type': 'text/calendar', 'if-none-match': '*' }, payload: ics('two') });
    assert.equal(refused.statusCode, 412);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: { authorization: auth } })).statusCode, 204);
    unsubscribe();
    assert.deepEqual(events, ['durable', 'published', 'durable', 'published', 'durable', 'published'], 'a refused write publishes nothing');
    assert.deepEqual(changes.map((c) => c.kind === 'calendar-changed' ? [c.syncSeq, c.objects, c.deleted] : c.kind), [[1, ['u1.ics'], false], [2, [], false], [3, ['u1.ics'], true]]);
  });
});
