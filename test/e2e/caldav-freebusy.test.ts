import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { removeDataDir } from './harness.js';
import { calendarPath, dav, ics, people, putEvent, pythonCaldav, shared, startCalendarOrg, type CalendarOrg, type Person } from './caldav-helpers.js';

const request = (organizer: Person, attendees: string[], start = '20260601T000000Z', end = '20260602T000000Z') => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mailroom tests//EN', 'METHOD:REQUEST', 'BEGIN:VFREEBUSY', 'UID:fb-1', 'DTSTAMP:20260101T000000Z',
  `DTSTART:${start}`, `DTEND:${end}`, `ORGANIZER:mailto:${organizer.address}`, ...attendees.map((a) => `ATTENDEE:mailto:${a}`), 'END:VFREEBUSY', 'END:VCALENDAR', '',
].join('\r\n');

/** Each attendee's answer in a schedule-response: [href, request-status, FREEBUSY lines]. */
function answers(xml: string): [string, string, string[]][] {
  return [...xml.matchAll(/<cal:response>([\s\S]*?)<\/cal:response>/g)].map(([, body]) => [
    /<d:href>([^<]+)<\/d:href>/.exec(body!)![1]!,
    /<cal:request-status>([^<]+)<\/cal:request-status>/.exec(body!)![1]!,
    [...body!.matchAll(/FREEBUSY;([^&\n]+)/g)].map((m) => m[1]!),
  ]);
}

/** Free/busy: the free-busy-query REPORT on a calendar one may read, and the organization's free/busy through the outbox (RFC 6638). */
describe('CalDAV free/busy', () => {
  let org: CalendarOrg;
  before(async () => {
    org = await startCalendarOrg();
    const put = (who: Person, path: string, body: string) => putEvent(org.server, who, path, body).then((r) => assert.equal(r.status, 201, r.text));
    await put(people.bob, `${calendarPath(people.bob.address)}a.ics`, ics({ uid: 'a', start: '20260601T090000Z', end: '20260601T100000Z' }));
    await put(people.bob, `${calendarPath(people.bob.address)}b.ics`, ics({ uid: 'b', start: '20260601T130000Z', end: '20260601T140000Z', extra: ['STATUS:TENTATIVE'] }));
    await put(people.bob, `${calendarPath(people.bob.address)}c.ics`, ics({ uid: 'c', start: '20260601T150000Z', end: '20260601T160000Z', extra: ['TRANSP:TRANSPARENT'] }));
    await put(people.alice, `${calendarPath(shared)}d.ics`, ics({ uid: 'd', start: '20260525T080000Z', end: '20260525T083000Z', extra: ['RRULE:FREQ=WEEKLY'] }));
  });
  after(async () => {
    await org.server.stop();
    removeDataDir(org.server.dataDir);
  });

  test('free-busy-query on the shared calendar, even for a read-only member; 404 for others', async () => {
    const body = '<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20260601T000000Z" end="20260602T000000Z"/></c:free-busy-query>';
    const res = await dav(org.server, people.carol, 'REPORT', calendarPath(shared), body, { depth: '1' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
    assert.deepEqual(res.text.split('\r\n').filter((l) => l.startsWith('FREEBUSY')), ['FREEBUSY;FBTYPE=BUSY:20260601T080000Z/20260601T083000Z'], 'the weekly occurrence on Monday 1 June');
    assert.equal((await dav(org.server, people.dave, 'REPORT', calendarPath(shared), body, { depth: '1' })).status, 404);
  });

  test("the outbox answers every user's free/busy, a shared mailbox's only to its members, 3.7 for the rest", async () => {
    const outbox = `/dav/outbox/${people.alice.address}/`;
    const principal = await dav(org.server, people.alice, 'PROPFIND', `/dav/principals/${people.alice.address}/`,
      '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:schedule-outbox-URL/></d:prop></d:propfind>', { depth: '0' });
    assert.match(principal.text, new RegExp(`<cal:schedule-outbox-URL><d:href>${outbox}</d:href>`));
    const post = (who: Person, path: string, attendees: string[]) => dav(org.server, who, 'POST', path, request(who, attendees), { 'content-type': 'text/calendar' });

    const alice = await post(people.alice, outbox, [people.bob.address, shared, 'nobody@contoso.com', 'someone@elsewhere.example']);
    assert.equal(alice.status, 200, alice.text);
    assert.deepEqual(answers(alice.text), [
      [`mailto:${people.bob.address}`, '2.0;Success', ['FBTYPE=BUSY:20260601T090000Z/20260601T100000Z', 'FBTYPE=BUSY-TENTATIVE:20260601T130000Z/20260601T140000Z']],
      [`mailto:${shared}`, '2.0;Success', ['FBTYPE=BUSY:20260601T080000Z/20260601T083000Z']],
      ['mailto:nobody@contoso.com', '3.7;Invalid calendar user', []],
      ['mailto:someone@elsewhere.example', '3.7;Invalid calendar user', []],
    ]);
    const dave = await post(people.dave, `/dav/outbox/${people.dave.address}/`, [shared, 'nobody@contoso.com']);
    assert.deepEqual(answers(dave.text).map((a) => a[1]), ['3.7;Invalid calendar user', '3.7;Invalid calendar user'], 'a non-member cannot tell the shared mailbox from nobody');
    assert.equal((await post(people.dave, outbox, [people.bob.address])).status, 404, "nobody posts to another's outbox");
    const invitation = await dav(org.server, people.alice, 'POST', outbox, ics({ uid: 'x', start: '20260601T090000Z' }).replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST'), { 'content-type': 'text/calendar' });
    assert.equal(invitation.status, 403);
    assert.match(invitation.text, /does not deliver invitations/);
  });

  test('python3-caldav finds the outbox from the principal and asks it for free/busy', (t) => {
    const found = pythonCaldav();
    if ('skip' in found) return t.skip(found.skip);
    // caldav 0.11's freebusy_request() sends the request but reads answers as a multistatus, so the
    // schedule-response is read from the raw POST to the outbox the library discovered.
    const script = `
import caldav, datetime, sys
client = caldav.DAVClient(url=${JSON.stringify(`${org.server.url}/.well-known/caldav`)}, username=${JSON.stringify(people.alice.address)}, password=${JSON.stringify(people.alice.password)})
principal = client.principal()
principal.freebusy_request(datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc), datetime.datetime(2026, 6, 2, tzinfo=datetime.timezone.utc), ["mailto:${people.bob.address}"])
outbox = principal.schedule_outbox()
response = client.post(outbox.url, ${JSON.stringify(request(people.alice, [people.bob.address]))}, headers={"Content-Type": "text/calendar; charset=utf-8"})
print(str(outbox.url).replace("%40", "@"))
print(response.status)
print(response.raw)
`;
    const run = spawnSync(found.python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const [url, status] = run.stdout.split('\n');
    assert.equal(url, `${org.server.url}/dav/outbox/${people.alice.address}/`);
    assert.equal(status, '200');
    assert.match(run.stdout, /FREEBUSY;FBTYPE=BUSY:20260601T090000Z\/20260601T100000Z/);
  });
});
