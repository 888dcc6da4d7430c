import type { Principal } from '../../../directory/accounts.js';
import type { MailboxAccessLevel } from '../../../directory/grants.js';
import type { Recipient } from '../../../directory/recipients.js';
import { supportedComponents } from '../../../protocol/ical/calendar-object.js';
import { APPLE_ICAL, CALDAV, CALENDARSERVER, DAV, clark, node, type XmlNode } from '../../../protocol/webdav/xml.js';
import { calendarRights } from '../../../store/calendar/access.js';
import type { Calendar } from '../../../store/calendar/calendars.js';
import type { CalendarObject } from '../../../store/calendar/objects.js';
import { davRoot, homeHref, outboxHref, principalHref } from './dav-paths.js';

/** A property's value: text, or child elements. */
export type PropValue = string | readonly XmlNode[];

/** A resource as a PROPFIND or REPORT presents it. */
export interface DavResource {
  readonly href: string;
  readonly props: ReadonlyMap<string, PropValue>;
  /** The properties DAV:allprop returns (RFC 4918 §9.1: not the expensive or RFC 3744 ones). */
  readonly allprop: ReadonlySet<string>;
}

/** Largest calendar object accepted, in bytes (CALDAV:max-resource-size, RFC 4791 §5.2.5). */
export const maxResourceSize = 512 * 1024;

class PropBuilder {
  readonly props = new Map<string, PropValue>();
  readonly allprop = new Set<string>();
  set(ns: string, name: string, value: PropValue, inAllprop = false): this {
    const key = clark(ns, name);
    this.props.set(key, value);
    if (inAllprop) this.allprop.add(key);
    return this;
  }
  build(href: string): DavResource {
    return { href, props: this.props, allprop: this.allprop };
  }
}

const href = (value: string): XmlNode => node(DAV, 'href', value);
const privilege = (ns: string, name: string): XmlNode => node(DAV, 'privilege', [node(ns, name)]);

/** RFC 3744 §5.4: what the signed-in user may do here, from the mailbox grant. */
export function privilegeSet(level: MailboxAccessLevel): XmlNode[] {
  const set = [privilege(DAV, 'read'), privilege(DAV, 'read-current-user-privilege-set'), privilege(CALDAV, 'read-free-busy')];
  if (calendarRights.write(level)) set.push(privilege(DAV, 'write-content'), privilege(DAV, 'write-properties'), privilege(DAV, 'bind'));
  if (calendarRights.remove(level)) set.push(privilege(DAV, 'unbind'), privilege(DAV, 'write'));
  return set;
}

function common(builder: PropBuilder, principal: Principal): PropBuilder {
  return builder
    .set(DAV, 'current-user-principal', [href(principalHref(principal.address))])
    .set(DAV, 'principal-collection-set', [href(`${davRoot}principals/`)]);
}

/** /dav/, /dav/principals/, /dav/calendars/: plain collections that lead to the principal (RFC 5397). */
export function plainCollection(path: string, principal: Principal): DavResource {
  return common(new PropBuilder(), principal)
    .set(DAV, 'resourcetype', [node(DAV, 'collection')], true)
    .set(DAV, 'displayname', 'Mailroom', true)
    .build(path);
}

/** A mailbox's principal (RFC 3744 §2, RFC 4791 §6): where its calendars are and which addresses are its. */
export function principalResource(mailbox: Recipient, principal: Principal): DavResource {
  const addresses = [mailbox.primaryAddress, ...mailbox.proxyAddresses].map((a) => href(`mailto:${a}`));
  return common(new PropBuilder(), principal)
    .set(DAV, 'resourcetype', [node(DAV, 'principal')], true)
    .set(DAV, 'displayname', mailbox.displayName, true)
    .set(DAV, 'principal-URL', [href(principalHref(mailbox.primaryAddress))])
    .set(DAV, 'alternate-URI-set', [])
    .set(DAV, 'group-membership', [])
    .set(CALDAV, 'calendar-home-set', [href(homeHref(mailbox.primaryAddress))])
    .set(CALDAV, 'calendar-user-address-set', addresses)
    .set(CALDAV, 'calendar-user-type', mailbox.kind === 'shared' ? 'GROUP' : 'INDIVIDUAL')
    .set(CALDAV, 'schedule-outbox-URL', [href(outboxHref(mailbox.primaryAddress))])
    .build(principalHref(mailbox.primaryAddress));
}

/** The scheduling outbox (RFC 6638 §2.2): a collection that takes free/busy requests by POST. */
export function outboxResource(path: string, principal: Principal): DavResource {
  return common(new PropBuilder(), principal)
    .set(DAV, 'resourcetype', [node(DAV, 'collection'), node(CALDAV, 'schedule-outbox')], true)
    .set(DAV, 'displayname', 'Outbox', true)
    .set(DAV, 'current-user-privilege-set', [privilege(CALDAV, 'schedule-send'), privilege(DAV, 'read')])
    .build(path);
}

export function homeResource(path: string, mailbox: Recipient, level: MailboxAccessLevel, principal: Principal): DavResource {
  return common(new PropBuilder(), principal)
    .set(DAV, 'resourcetype', [node(DAV, 'collection')], true)
    .set(DAV, 'displayname', mailbox.displayName, true)
    .set(DAV, 'owner', [href(principalHref(mailbox.primaryAddress))])
    .set(DAV, 'current-user-privilege-set', privilegeSet(level))
    .build(path);
}

/** The sync token (RFC 6578 §4): a URI naming the calendar and its change number. */
export const syncToken = (calendar: Pick<Calendar, 'id'>, seq: number): string => `urn:mailroom:sync:${calendar.id}:${seq}`;

/** The change number in a sync token of this calendar; null when it is not one of its tokens. */
export function parseSyncToken(calendar: Pick<Calendar, 'id'>, token: string): number | null {
  const prefix = `urn:mailroom:sync:${calendar.id}:`;
  if (!token.startsWith(prefix)) return null;
  const seq = Number(token.slice(prefix.length));
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
}

export interface CalendarView {
  readonly href: string;
  readonly calendar: Calendar;
  readonly mailbox: Recipient;
  readonly level: MailboxAccessLevel;
  /** Shown beside the user's own calendars: the name says whose it is. */
  readonly proxy: boolean;
}

export function calendarResource(view: CalendarView, principal: Principal): DavResource {
  const { calendar, mailbox, level } = view;
  const name = view.proxy ? `${mailbox.displayName} – ${calendar.displayName}` : calendar.displayName;
  const token = syncToken(calendar, calendar.syncSeq);
  const reports = ['calendar-multiget', 'calendar-query', 'free-busy-query'].map((r) => node(DAV, 'supported-report', [node(DAV, 'report', [node(CALDAV, r)])]));
  reports.push(node(DAV, 'supported-report', [node(DAV, 'report', [node(DAV, 'sync-collection')])]));
  const builder = common(new PropBuilder(), principal)
    .set(DAV, 'resourcetype', [node(DAV, 'collection'), node(CALDAV, 'calendar')], true)
    .set(DAV, 'displayname', name, true)
    .set(DAV, 'owner', [href(principalHref(mailbox.primaryAddress))])
    .set(DAV, 'current-user-privilege-set', privilegeSet(level))
    .set(DAV, 'supported-report-set', reports)
    .set(DAV, 'sync-token', token)
    .set(CALENDARSERVER, 'getctag', token)
    .set(CALDAV, 'supported-calendar-component-set', supportedComponents.map((c) => node(CALDAV, 'comp', undefined, { name: c })))
    .set(CALDAV, 'supported-calendar-data', [node(CALDAV, 'calendar-data', undefined, { 'content-type': 'text/calendar', version: '2.0' })])
    .set(CALDAV, 'max-resource-size', String(maxResourceSize));
  if (calendar.description !== null) builder.set(CALDAV, 'calendar-description', calendar.description, true);
  if (calendar.color !== null) builder.set(APPLE_ICAL, 'calendar-color', calendar.color, true);
  return builder.build(view.href);
}

export function objectResource(path: string, object: CalendarObject, level: MailboxAccessLevel, ical?: string): DavResource {
  const builder = new PropBuilder()
    .set(DAV, 'resourcetype', [], true)
    .set(DAV, 'getetag', object.etag, true)
    .set(DAV, 'getcontenttype', `text/calendar; charset=utf-8; component=${object.component.toLowerCase()}`, true)
    .set(DAV, 'getcontentlength', String(object.size), true)
    .set(DAV, 'getlastmodified', new Date(object.updatedAt).toUTCString(), true)
    .set(DAV, 'current-user-privilege-set', privilegeSet(level));
  if (ical !== undefined) builder.set(CALDAV, 'calendar-data', ical);
  return builder.build(path);
}
