import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from '../../../protocol/webdav/errors.js';
import { calendarHref, objectNameIn, parseDavPath } from './dav-paths.js';

const status = (url: string): number | string => {
  try {
    return parseDavPath(url).kind;
  } catch (err) {
    return err instanceof DavError ? err.status : String(err);
  }
};

describe('/dav/ paths', () => {
  it('names principals, homes, calendars, proxies and objects', () => {
    assert.deepEqual(parseDavPath('/dav/'), { kind: 'root' });
    assert.deepEqual(parseDavPath('/dav/principals/alice@contoso.com/'), { kind: 'principal', address: 'alice@contoso.com' });
    assert.deepEqual(parseDavPath('/dav/calendars/alice%40contoso.com'), { kind: 'home', address: 'alice@contoso.com' });
    assert.deepEqual(parseDavPath('/dav/calendars/alice@contoso.com/shared~info@contoso.com~calendar/x%20y.ics?z=1'), {
      kind: 'object', home: 'alice@contoso.com', calendar: { address: 'info@contoso.com', slug: 'calendar', proxy: true }, name: 'x y.ics',
    });
    assert.equal(calendarHref('alice@contoso.com', { address: 'info@contoso.com', slug: 'calendar', proxy: true }), '/dav/calendars/alice@contoso.com/shared~info@contoso.com~calendar/');
  });

  it('refuses dot segments, encoded slashes, control characters and bad encoding instead of resolving them', () => {
    for (const url of ['/dav/calendars/a@b.c/../x@b.c/calendar/', '/dav/calendars/a@b.c/%2e%2e/x/', '/dav/calendars/a@b.c/calendar/..%2Fx.ics',
      '/dav/calendars/a@b.c/calendar/%5C..%5Cx', '/dav/calendars/a@b.c/calendar/%00', '/dav/calendars/a@b.c/calendar/%E0%A4%A', '/dav/calendars//calendar/']) {
      assert.equal(status(url), 400, url);
    }
    assert.equal(status('/dav/calendars/a@b.c/calendar/x.ics/deeper'), 404);
    assert.equal(status('/dav/elsewhere/'), 404);
    assert.equal(status('/dav/calendars/a@b.c/shared~nope/'), 404);
  });

  it('multiget hrefs resolve only inside the calendar', () => {
    const base = '/dav/calendars/a@b.c/calendar/';
    assert.equal(objectNameIn(base, 'http://host/dav/calendars/a%40b.c/calendar/x.ics'), 'x.ics');
    assert.equal(objectNameIn(base, '/dav/calendars/a@b.c/calendar/../../x@b.c/calendar/y.ics'), null);
    assert.equal(objectNameIn(base, '/dav/calendars/a@b.c/calendar/sub/y.ics'), null);
    assert.equal(objectNameIn(base, '/dav/calendars/a@b.c/calendar/'), null);
  });
});
