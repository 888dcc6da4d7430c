import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { adminApi, assertStatus, createUser, type Api } from './api-helpers.js';
import { startServer, type StartOptions, type TestServer } from './harness.js';

/** Shared helpers of the caldav-*.test.ts files: an organization with every kind of calendar user, raw DAV calls, events. */

export const shared = 'info@contoso.com';
export const team = 'calendar-team@contoso.com';

export interface Person { readonly address: string; readonly password: string }
const person = (name: string): Person => ({ address: `${name}@contoso.com`, password: `${name[0]!.toUpperCase()}${name.slice(1)}-password-1` });

/**
 * Everyone the authorization matrix needs, around the shared mailbox info@contoso.com:
 * alice (member, FullAccess), bob (FullAccess through the security group), carol (ReadOnly),
 * frank (NoDelete), dave (no grant), erin (a member whose sign-in is blocked).
 */
export const people = {
  alice: person('alice'),
  bob: person('bob'),
  carol: person('carol'),
  frank: person('frank'),
  dave: person('dave'),
  erin: person('erin'),
} as const;

export interface CalendarOrg { readonly server: TestServer; readonly admin: Api }

export async function startCalendarOrg(options: StartOptions = {}): Promise<CalendarOrg> {
  const server = await startServer(options);
  const admin = await adminApi(server);
  for (const [name, p] of Object.entries(people)) await createUser(admin, p.address, name[0]!.toUpperCase() + name.slice(1), p.password);
  assertStatus(await admin('POST', '/shared-mailboxes', { displayName: 'Info', address: shared }), 201);
  assertStatus(await admin('POST', `/shared-mailboxes/${shared}/members`, { members: [people.alice.address, people.erin.address] }), 200);
  assertStatus(await admin('POST', '/groups', { address: team, displayName: 'Calendar Team', type: 'security' }), 201);
  assertStatus(await admin('POST', `/groups/${team}/members`, { members: [people.bob.address] }), 200);
  assertStatus(await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: team, rights: ['FullAccess'] }), 200);
  assertStatus(await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: people.carol.address, rights: ['ReadOnly'] }), 200);
  assertStatus(await admin('POST', `/mailboxes/${shared}/permissions`, { trustee: people.frank.address, rights: ['NoDelete'] }), 200);
  assertStatus(await admin('POST', '/users/block', { addresses: [people.erin.address] }), 200);
  return { server, admin };
}

export interface DavResponse { readonly status: number; readonly headers: Headers; readonly text: string }

export const basic = (p: Person): string => `Basic ${Buffer.from(`${p.address}:${p.password}`).toString('base64')}`;

/** One raw WebDAV request as `who` (null: no credentials). */
export async function dav(server: TestServer, who: Person | null, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<DavResponse> {
  const all: Record<string, string> = { ...headers };
  if (who) all.authorization = basic(who);
  if (body !== undefined && !Object.keys(all).some((h) => h.toLowerCase() === 'content-type')) all['content-type'] = 'application/xml; charset=utf-8';
  const res = await fetch(`${server.url}${path}`, { method, headers: all, redirect: 'manual', ...(body === undefined ? {} : { body }) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export const calendarPath = (address: string, slug = 'calendar'): string => `/dav/calendars/${address}/${slug}/`;

export interface EventSpec {
  readonly uid: string;
  readonly start: string;
  readonly end?: string;
  readonly summary?: string;
  readonly extra?: readonly string[];
  /** Whole components after the first (e.g. RECURRENCE-ID overrides). */
  readonly more?: readonly string[];
}

/** A VCALENDAR with one VEVENT; times as iCalendar text (e.g. 20260110T100000Z). */
export function ics(spec: EventSpec): string {
  const event = [
    'BEGIN:VEVENT', `UID:${spec.uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART:${spec.start}`,
    ...(spec.end ? [`DTEND:${spec.end}`] : []), `SUMMARY:${spec.summary ?? spec.uid}`, ...(spec.extra ?? []), 'END:VEVENT',
  ];
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mailroom tests//EN', ...event, ...(spec.more ?? []), 'END:VCALENDAR', ''].join('\r\n');
}

export async function putEvent(server: TestServer, who: Person, path: string, body: string, headers: Record<string, string> = {}): Promise<DavResponse> {
  return dav(server, who, 'PUT', path, body, { 'content-type': 'text/calendar; charset=utf-8', ...headers });
}

/** The hrefs in a multistatus body with their status lines, e.g. for sync-collection. */
export function hrefsOf(xml: string): string[] {
  return [...xml.matchAll(/<d:href>([^<]*)<\/d:href>/g)].map((m) => m[1]!);
}

export function syncTokenOf(xml: string): string {
  const m = /<d:sync-token>([^<]*)<\/d:sync-token>/.exec(xml);
  assert.ok(m, `no sync-token in ${xml}`);
  return m[1]!;
}

export const syncCollectionBody = (token: string, withData = false): string =>
  `<d:sync-collection xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/>${withData ? '<c:calendar-data/>' : ''}</d:prop></d:sync-collection>`;

export const timeRangeQuery = (start: string, end: string, expand = false): string =>
  `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data>${expand ? `<c:expand start="${start}" end="${end}"/>` : ''}</c:calendar-data></d:prop>`
  + `<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;

/** True when a command is on PATH (Debian's python3-caldav is imported by /usr/bin/python3). */
export function hasCommand(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Debian's python3 with python3-caldav, or why not. */
export function pythonCaldav(): { python: string } | { skip: string } {
  for (const python of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(python, ['-c', 'import caldav'], { stdio: 'ignore' }).status === 0) return { python };
  }
  return { skip: 'python3-caldav is not installed (apt-get install python3-caldav): python caldav checks skipped' };
}
