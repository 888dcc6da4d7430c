import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { removeDataDir } from './harness.js';
import {
  basic, calendarPath, dav, ics, people, putEvent, shared, startCalendarOrg, syncCollectionBody, syncTokenOf,
  type CalendarOrg, type DavResponse,
} from './caldav-helpers.js';

/** A request whose path is sent exactly as written (fetch would resolve "..", as browsers do). */
function rawRequest(url: string, method: string, path: string, auth: string): Promise<DavResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers: { authorization: auth, depth: '0' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bad input of every kind: a clear error naming what is wrong, and nothing changed. */
describe('CalDAV refuses bad input and changes nothing', () => {
  let org: CalendarOrg;
  const own = calendarPath(people.alice.address);
  const sharedCal = calendarPath(shared);

  before(async () => {
    org = await startCalendarOrg();
    assert.equal((await putEvent(org.server, people.alice, `${own}first.ics`, ics({ uid: 'first', start: '20260501T090000Z' }))).status, 201);
    assert.equal((await putEvent(org.server, people.alice, `${sharedCal}team.ics`, ics({ uid: 'team', start: '20260501T090000Z' }))).status, 201);
  });
  after(async () => {
    await org.server.stop();
    removeDataDir(org.server.dataDir);
  });

  const snapshot = async () => Promise.all([own, sharedCal].map(async (path) => {
    const res = await dav(org.server, people.alice, 'REPORT', path, syncCollectionBody('', true));
    assert.equal(res.status, 207);
    return { token: syncTokenOf(res.text), body: res.text };
  }));

  /** The request is refused with this status and words (and precondition element, when given), and both calendars read back the same. */
  async function refused(call: () => Promise<DavResponse>, status: number, words: RegExp, condition?: string): Promise<DavResponse> {
    const before = await snapshot();
    const res = await call();
    assert.equal(res.status, status, res.text);
    assert.match(res.text, words);
    if (condition) assert.match(res.text, new RegExp(`<[a-z]+:${condition}[ />]`), `expected the ${condition} element in ${res.text}`);
    assert.deepEqual(await snapshot(), before, 'nothing changed');
    return res;
  }

  test('malformed XML, DOCTYPEs and entity expansion are refused', async () => {
    await refused(() => dav(org.server, people.alice, 'PROPFIND', own, '<d:propfind xmlns:d="DAV:"><d:prop>', { depth: '0' }), 400, /not well-formed XML/);
    await refused(() => dav(org.server, people.alice, 'REPORT', own, '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"></d:x>'), 400, /not well-formed XML/);
    const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&lol2;</d:displayname></d:prop></d:propfind>';
    await refused(() => dav(org.server, people.alice, 'PROPFIND', own, laughs, { depth: '0' }), 400, /DOCTYPE declarations are not accepted/);
    const external = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>&xxe;</d:displayname></d:prop></d:set></d:propertyupdate>';
    await refused(() => dav(org.server, people.alice, 'PROPPATCH', own, external), 400, /DOCTYPE/);
    await refused(() => dav(org.server, people.alice, 'PROPFIND', own, '<propfind xmlns="urn:not-dav"><prop/></propfind>', { depth: '0' }), 400, /must be a DAV:propfind element/);
  });

  test('malformed or unacceptable iCalendar: 400 with the CalDAV precondition, 415 for another media type', async () => {
    const put = (name: string, body: string, type = 'text/calendar') => () => putEvent(org.server, people.alice, `${own}${name}`, body, { 'content-type': type });
    await refused(put('garbage.ics', 'this is not iCalendar'), 400, /not valid iCalendar/, 'valid-calendar-data');
    await refused(put('unclosed.ics', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n'), 400, /not valid iCalendar/, 'valid-calendar-data');
    await refused(put('baddate.ics', ics({ uid: 'bad-date', start: '2026-13-45' })), 400, /invalid date|not valid iCalendar/, 'valid-calendar-data');
    await refused(put('nostart.ics', ics({ uid: 'x', start: '20260501T090000Z' }).replace(/DTSTART:[^\r]*\r\n/, '')), 400, /must have DTSTART/, 'valid-calendar-data');
    await refused(put('method.ics', ics({ uid: 'm', start: '20260501T090000Z' }).replace('VERSION:2.0', 'VERSION:2.0\r\nMETHOD:REQUEST')), 400, /METHOD/, 'valid-calendar-object-resource');
    const twoUids = ics({ uid: 'one', start: '20260501T090000Z', more: ['BEGIN:VEVENT', 'UID:two', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260502T090000Z', 'END:VEVENT'] });
    await refused(put('two.ics', twoUids), 400, /share one UID/, 'valid-calendar-object-resource');
    await refused(put('card.ics', ics({ uid: 'c', start: '20260501T090000Z' }).replace(/VEVENT/g, 'VAVAILABILITY')), 400, /does not hold VAVAILABILITY/, 'supported-calendar-component');
    await refused(put('json.ics', '{"event":true}', 'application/json'), 415, /must be sent as text\/calendar/, 'supported-calendar-data');
  });

  test('one UID per calendar: a second resource with the same UID is a conflict naming the first', async () => {
    const res = await refused(() => putEvent(org.server, people.alice, `${own}copy.ics`, ics({ uid: 'first', start: '20260601T090000Z' })), 409, /already has the UID "first"/, 'no-uid-conflict');
    assert.match(res.text, /<d:href>\/dav\/calendars\/alice@contoso.com\/calendar\/first.ics<\/d:href>/);
  });

  test('huge bodies: 413, whether over the event size or over the request limit', async () => {
    const padded = ics({ uid: 'big', start: '20260501T090000Z', extra: [`DESCRIPTION:${'x'.repeat(600 * 1024)}`] });
    await refused(() => putEvent(org.server, people.alice, `${own}big.ics`, padded), 413, /at most 524288 bytes/, 'max-resource-size');
    const enormous = ics({ uid: 'enormous', start: '20260501T090000Z', extra: [`DESCRIPTION:${'x'.repeat(3 * 1024 * 1024)}`] });
    await refused(() => putEvent(org.server, people.alice, `${own}enormous.ics`, enormous), 413, /larger than 1048576 bytes/);
    const bigReport = `<d:propfind xmlns:d="DAV:"><d:prop>${'<d:displayname/>'.repeat(100_000)}</d:prop></d:propfind>`;
    await refused(() => dav(org.server, people.alice, 'PROPFIND', own, bigReport, { depth: '0' }), 413, /larger than/);
  });

  test('path traversal in URLs never reaches another mailbox', async () => {
    const auth = basic(people.dave);
    for (const path of [
      `/dav/calendars/dave@contoso.com/../${shared}/calendar/team.ics`,
      `/dav/calendars/dave@contoso.com/calendar/../../${shared}/calendar/team.ics`,
      `/dav/calendars/dave@contoso.com/calendar/..%2F..%2F${shared}%2Fcalendar%2Fteam.ics`,
      `/dav/calendars/dave@contoso.com/%2e%2e/${shared}/calendar/team.ics`,
      `/dav/calendars/dave@contoso.com/calendar/%00team.ics`,
    ]) {
      const res = await rawRequest(org.server.url, 'GET', path, auth);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.doesNotMatch(res.text, /BEGIN:VCALENDAR/);
    }
    const invalid = await rawRequest(org.server.url, 'GET', '/dav/calendars/dave@contoso.com/calendar/%E0%A4%A.ics', auth);
    assert.equal(invalid.status, 400);
    // A multiget href that climbs out of the calendar is answered 404 for that href, with no data.
    const multiget = `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop><d:href>/dav/calendars/dave@contoso.com/calendar/../../${shared}/calendar/team.ics</d:href></c:calendar-multiget>`;
    const res = await dav(org.server, people.dave, 'REPORT', calendarPath(people.dave.address), multiget);
    assert.equal(res.status, 207);
    assert.match(res.text, /404 Not Found/);
    assert.doesNotMatch(res.text, /BEGIN:VCALENDAR/);
  });

  test("a PUT over another user's calendar is refused as if it did not exist", async () => {
    await refused(() => putEvent(org.server, people.dave, `${own}intruder.ics`, ics({ uid: 'intruder', start: '20260501T090000Z' })), 404, /Nothing lives at this URL/);
    await refused(() => putEvent(org.server, people.dave, `${own}first.ics`, ics({ uid: 'first', start: '20260501T090000Z', summary: 'Overwritten' })), 404, /Nothing lives at this URL/);
    await refused(() => putEvent(org.server, people.alice, own, ics({ uid: 'collection', start: '20260501T090000Z' })), 405, /not one/);
  });

  test('bad reports: invalid time ranges, unknown sync tokens and reports, MKCALENDAR over a calendar', async () => {
    const query = (range: string) => `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">${range}</c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
    await refused(() => dav(org.server, people.alice, 'REPORT', own, query('<c:time-range start="yesterday"/>')), 400, /not a UTC date-time/, 'valid-filter');
    await refused(() => dav(org.server, people.alice, 'REPORT', own, query('<c:time-range start="20260502T000000Z" end="20260501T000000Z"/>')), 400, /must end after it starts/, 'valid-filter');
    await refused(() => dav(org.server, people.alice, 'REPORT', own, query('<c:time-range/>')), 400, /needs a start or an end/, 'valid-filter');
    await refused(() => dav(org.server, people.alice, 'REPORT', own, '<c:calendar-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:filter><c:comp-filter name="VEVENT"/></c:filter></c:calendar-query>'), 403, /one comp-filter named VCALENDAR/, 'valid-filter');
    await refused(() => dav(org.server, people.alice, 'REPORT', own, syncCollectionBody('urn:mailroom:sync:someone-else:1')), 403, /sync token is not valid/, 'valid-sync-token');
    await refused(() => dav(org.server, people.alice, 'REPORT', own, '<d:expand-property xmlns:d="DAV:"/>'), 403, /not supported/, 'supported-report');
    await refused(() => dav(org.server, people.alice, 'MKCALENDAR', own), 405, /already exists/, 'resource-must-be-null');
    await refused(() => dav(org.server, people.alice, 'MKCALENDAR', calendarPath(people.alice.address, 'with~tilde')), 403, /cannot name a calendar/);
  });
});
