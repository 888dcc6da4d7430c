import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeDataDir } from './harness.js';
import {
  calendarPath, dav, ics, people, putEvent, shared, startCalendarOrg, syncCollectionBody, syncTokenOf, timeRangeQuery,
  type CalendarOrg, type DavResponse, type Person,
} from './caldav-helpers.js';

const propfindBody = '<d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:current-user-privilege-set/></d:prop></d:propfind>';
const proppatchBody = (name: string) => `<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>${name}</d:displayname></d:prop></d:set></d:propertyupdate>`;

type Who = 'alice' | 'bob' | 'carol' | 'frank' | 'dave' | 'erin';
const everyone: readonly Who[] = ['alice', 'bob', 'carol', 'frank', 'dave', 'erin'];
const roles: Record<Who, string> = {
  alice: 'member', bob: 'member through a group', carol: 'read-only member', frank: 'no-delete member', dave: 'non-member', erin: 'blocked member',
};

/**
 * The authorization matrix on the shared mailbox's calendar, for every method: who gets what
 * status, and a refused request changes nothing (the sync token and the event read back the same).
 */
describe('CalDAV authorization matrix', () => {
  let org: CalendarOrg;
  const base = calendarPath(shared);
  const seed = `${base}seed.ics`;
  const seedBody = ics({ uid: 'seed', start: '20260401T090000Z', end: '20260401T100000Z', summary: 'Seed' });

  before(async () => {
    org = await startCalendarOrg();
    assert.equal((await putEvent(org.server, people.alice, seed, seedBody)).status, 201);
  });
  after(async () => {
    await org.server.stop();
    removeDataDir(org.server.dataDir);
  });

  /** The shared mailbox's calendars and the default one's events, as the member alice reads them. */
  const state = async () => {
    const sync = await dav(org.server, people.alice, 'REPORT', base, syncCollectionBody('', true));
    assert.equal(sync.status, 207);
    const home = await dav(org.server, people.alice, 'PROPFIND', `/dav/calendars/${shared}/`, propfindBody, { depth: '1' });
    return { token: syncTokenOf(sync.text), body: sync.text, calendars: home.text };
  };

  /** Runs one request per person; a refused one must leave the calendar exactly as it was. */
  async function matrix(method: string, expected: Record<Who, number>, request: (who: Person, name: Who) => Promise<DavResponse>): Promise<void> {
    for (const name of everyone) {
      const before = await state();
      const res = await request(people[name], name);
      assert.equal(res.status, expected[name], `${method} by ${name} (${roles[name]}): ${res.text}`);
      if (res.status >= 400) assert.deepEqual(await state(), before, `${method} refused for ${name} must change nothing`);
    }
  }

  const readers = { alice: 207, bob: 207, carol: 207, frank: 207, dave: 404, erin: 403 } as const;

  test('PROPFIND and REPORT: every member reads, a non-member is told nothing exists, a blocked account is refused', async () => {
    await matrix('PROPFIND', readers, (who) => dav(org.server, who, 'PROPFIND', base, propfindBody, { depth: '1' }));
    await matrix('REPORT calendar-query', readers, (who) => dav(org.server, who, 'REPORT', base, timeRangeQuery('20260401T000000Z', '20260402T000000Z'), { depth: '1' }));
    await matrix('REPORT sync-collection', readers, (who) => dav(org.server, who, 'REPORT', base, syncCollectionBody('')));
    const multiget = `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><d:href>${seed}</d:href></c:calendar-multiget>`;
    await matrix('REPORT calendar-multiget', readers, (who) => dav(org.server, who, 'REPORT', base, multiget));
    await matrix('PROPFIND principal', { ...readers }, (who) => dav(org.server, who, 'PROPFIND', `/dav/principals/${shared}/`, propfindBody, { depth: '0' }));
  });

  test('a non-member gets the very answer a mailbox that does not exist gets', async () => {
    const hidden = await dav(org.server, people.dave, 'PROPFIND', base, propfindBody, { depth: '0' });
    const missing = await dav(org.server, people.dave, 'PROPFIND', calendarPath('nobody@contoso.com'), propfindBody, { depth: '0' });
    assert.equal(hidden.status, 404);
    assert.deepEqual([hidden.status, hidden.text], [missing.status, missing.text]);
    const proxy = await dav(org.server, people.dave, 'PROPFIND', `/dav/calendars/${people.dave.address}/shared~${shared}~calendar/`, propfindBody, { depth: '0' });
    assert.deepEqual([proxy.status, proxy.text], [missing.status, missing.text], 'nor through a proxy URL in their own home');
  });

  test('current-user-privilege-set tells each member what the grant allows', async () => {
    const privileges = async (who: Person) => {
      const res = await dav(org.server, who, 'PROPFIND', base, propfindBody, { depth: '0' });
      return [...res.text.matchAll(/<d:privilege><(?:d|cal):([a-z-]+)\/><\/d:privilege>/g)].map((m) => m[1]).sort();
    };
    const read = ['read', 'read-current-user-privilege-set', 'read-free-busy'];
    assert.deepEqual(await privileges(people.alice), [...read, 'bind', 'unbind', 'write', 'write-content', 'write-properties'].sort());
    assert.deepEqual(await privileges(people.bob), [...read, 'bind', 'unbind', 'write', 'write-content', 'write-properties'].sort());
    assert.deepEqual(await privileges(people.carol), read.sort());
    assert.deepEqual(await privileges(people.frank), [...read, 'bind', 'write-content', 'write-properties'].sort());
  });

  test('GET of an event', async () => {
    await matrix('GET', { alice: 200, bob: 200, carol: 200, frank: 200, dave: 404, erin: 403 }, (who) => dav(org.server, who, 'GET', seed));
  });

  test('PUT of a new event and over an existing one: read-only members are refused with need-privileges', async () => {
    const writers = { alice: 201, bob: 201, carol: 403, frank: 201, dave: 404, erin: 403 } as const;
    await matrix('PUT new', writers, (who, name) => putEvent(org.server, who, `${base}${name}.ics`, ics({ uid: `new-${name}`, start: '20260402T090000Z', end: '20260402T100000Z' })));
    const refusal = await putEvent(org.server, people.carol, `${base}carol.ics`, ics({ uid: 'new-carol', start: '20260402T090000Z' }));
    assert.match(refusal.text, /<d:need-privileges><d:resource><d:href>\/dav\/calendars\/info@contoso.com\/calendar\/carol.ics<\/d:href><d:privilege><d:write-content\/>/);
    await matrix('PUT overwrite', { ...writers, alice: 204, bob: 204, frank: 204 }, (who, name) =>
      putEvent(org.server, who, seed, ics({ uid: 'seed', start: '20260401T090000Z', end: '20260401T100000Z', summary: `Seed by ${name}` })));
  });

  test('PROPPATCH and MKCALENDAR', async () => {
    await matrix('PROPPATCH', { alice: 207, bob: 207, carol: 403, frank: 207, dave: 404, erin: 403 }, (who, name) => dav(org.server, who, 'PROPPATCH', base, proppatchBody(`Renamed by ${name}`)));
    await matrix('MKCALENDAR', { alice: 201, bob: 201, carol: 403, frank: 201, dave: 404, erin: 403 }, (who, name) => dav(org.server, who, 'MKCALENDAR', calendarPath(shared, `cal-${name}`)));
  });

  test('DELETE: no-delete and read-only members are refused; the default calendar stays', async () => {
    await matrix('DELETE event', { alice: 204, bob: 204, carol: 403, frank: 403, dave: 404, erin: 403 }, (who, name) => {
      const target = name === 'alice' || name === 'bob' ? `${base}${name}.ics` : seed;
      return dav(org.server, who, 'DELETE', target);
    });
    const frank = await dav(org.server, people.frank, 'DELETE', seed);
    assert.match(frank.text, /<d:privilege><d:unbind\/><\/d:privilege>/);
    await matrix('DELETE calendar', { alice: 204, bob: 204, carol: 403, frank: 403, dave: 404, erin: 403 }, (who, name) =>
      dav(org.server, who, 'DELETE', calendarPath(shared, name === 'alice' || name === 'bob' ? `cal-${name}` : 'cal-frank')));
    assert.equal((await dav(org.server, people.alice, 'DELETE', base)).status, 403, 'the default calendar cannot be deleted');
  });

  test('sign-in: no credentials or a wrong password get 401 with a Basic challenge', async () => {
    const none = await dav(org.server, null, 'PROPFIND', base, propfindBody, { depth: '0' });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic realm="Mailroom"/);
    const wrong = await dav(org.server, { address: people.alice.address, password: 'not-her-password' }, 'PROPFIND', base, propfindBody, { depth: '0' });
    assert.equal(wrong.status, 401);
    const blocked = await dav(org.server, people.erin, 'PROPFIND', base, propfindBody, { depth: '0' });
    assert.match(blocked.text, /Your account has been locked/);
    assert.equal((await dav(org.server, null, 'OPTIONS', base)).headers.get('dav'), '1, 3, calendar-access', 'OPTIONS needs no sign-in');
  });

  test("a user's own calendar: the owner reads and writes it, nobody else finds it", async () => {
    const own = calendarPath(people.dave.address);
    assert.equal((await putEvent(org.server, people.dave, `${own}mine.ics`, ics({ uid: 'mine', start: '20260405T090000Z' }))).status, 201);
    for (const other of [people.alice, people.bob, people.carol] as const) {
      assert.equal((await dav(org.server, other, 'GET', `${own}mine.ics`)).status, 404);
      assert.equal((await putEvent(org.server, other, `${own}theirs.ics`, ics({ uid: 'theirs', start: '20260405T090000Z' }))).status, 404);
      assert.equal((await dav(org.server, other, 'DELETE', `${own}mine.ics`)).status, 404);
    }
    assert.equal((await dav(org.server, people.dave, 'GET', `${own}mine.ics`)).status, 200);
  });
});
