import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from './errors.js';
import { parsePropfind, parseReport } from './requests.js';
import { CALDAV, DAV, node, parseXml, serializeXml, XmlParseError } from './xml.js';

describe('WebDAV XML (RFC 4918 §8.1, §9.1)', () => {
  it('resolves names by namespace, whatever the prefixes or the default namespace', () => {
    const bodies = [
      '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><c:calendar-data xmlns:c="urn:ietf:params:xml:ns:caldav"/></d:prop></d:propfind>',
      '<propfind xmlns="DAV:"><prop><getetag/><calendar-data xmlns="urn:ietf:params:xml:ns:caldav"/></prop></propfind>',
      '<ns0:propfind xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:caldav"><ns0:prop><ns0:getetag/><ns1:calendar-data/></ns0:prop></ns0:propfind>',
    ];
    for (const body of bodies) {
      assert.deepEqual(parsePropfind(parseXml(body)), { kind: 'prop', props: [{ ns: DAV, name: 'getetag' }, { ns: CALDAV, name: 'calendar-data' }] });
    }
    assert.deepEqual(parsePropfind(null), { kind: 'allprop', include: [] }, 'an empty body is allprop');
    assert.deepEqual(parsePropfind(parseXml('<propfind xmlns="DAV:"><propname/></propfind>')), { kind: 'propname' });
  });

  it('refuses DOCTYPEs (no entity expansion), malformed and overly deep documents', () => {
    assert.throws(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), XmlParseError);
    assert.throws(() => parseXml('<a><b></a>'), XmlParseError);
    assert.throws(() => parseXml('<a>&undefined;</a>'), XmlParseError);
    assert.throws(() => parseXml(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`), /deeper than 64/);
    assert.throws(() => parseXml(''), XmlParseError);
  });

  it('serializes with declared prefixes and escapes text, carriage returns and attributes', () => {
    const xml = serializeXml(node(DAV, 'multistatus', [node('urn:x', 'v', 'a<b&"c"\r\n', { k: 'q"' })]));
    assert.equal(xml, '<?xml version="1.0" encoding="utf-8"?>\n<d:multistatus xmlns:d="DAV:" xmlns:x0="urn:x"><x0:v k="q&quot;">a&lt;b&amp;"c"&#13;\n</x0:v></d:multistatus>');
    assert.equal(parseXml(xml).children[0]!.text, 'a<b&"c"\r\n', 'reads back the same text');
  });

  it('parses calendar-query filters, and refuses unknown reports and bad ranges with their conditions', () => {
    const query = parseReport(parseXml(`<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>
      <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20260101T000000Z"/>
      <C:prop-filter name="SUMMARY"><C:text-match negate-condition="yes">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`));
    assert.equal(query.kind, 'calendar-query');
    if (query.kind !== 'calendar-query') return;
    const vevent = query.filter.compFilters[0]!;
    assert.deepEqual(vevent.timeRange, { start: Date.UTC(2026, 0, 1), end: null });
    assert.deepEqual(vevent.propFilters[0]!.textMatch, { text: 'x', collation: 'i;ascii-casemap', negate: true });
    const condition = (body: string) => {
      try { parseReport(parseXml(body)); } catch (err) { return err instanceof DavError ? `${err.status} ${err.condition?.name}` : String(err); }
      return 'accepted';
    };
    assert.equal(condition('<D:acl-principal-prop-set xmlns:D="DAV:"/>'), '403 supported-report');
    assert.equal(condition('<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20260230T000000Z" end="20260301T000000Z"/></C:free-busy-query>'), '400 valid-filter');
    assert.equal(condition('<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>2</D:sync-level></D:sync-collection>'), '400 undefined');
    assert.equal(condition('<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:filter><C:comp-filter name="VCALENDAR"><C:prop-filter name="X"><C:text-match collation="i;klingon">a</C:text-match></C:prop-filter></C:comp-filter></C:filter></C:calendar-query>'), '403 supported-collation');
  });
});
