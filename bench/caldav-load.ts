/**
 * The `caldav` scenario of `npm run bench`: a calendar of 10,000 events of which 500 recur,
 * loaded over CalDAV, then
 *  - a one-month calendar-query (time-range, calendar-data), as a client opening a month view;
 *  - a sync-collection after one change, as a client polling with its sync token.
 * Times are measured at the client, loopback HTTP included; medians and 95th percentiles.
 */
export interface CaldavBenchOptions { readonly url: string; readonly user: string; readonly password: string; readonly events: number; readonly recurring: number }

const pad = (n: number): string => String(n).padStart(2, '0');
const stamp = (d: Date): string => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00Z`;

function event(i: number, recurring: boolean): string {
  // Spread over 2026; recurring ones start in January and follow one of four rules.
  const start = recurring
    ? new Date(Date.UTC(2026, 0, 1 + (i % 28), 7 + (i % 10), 0))
    : new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % 365) * 86_400_000 + ((i * 31) % 20) * 1_800_000);
  const end = new Date(start.getTime() + 3_600_000);
  const rules = ['RRULE:FREQ=DAILY', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR', 'RRULE:FREQ=MONTHLY;COUNT=24', 'RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20271231T000000Z'];
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Mailroom bench//EN', 'BEGIN:VEVENT', `UID:bench-${i}`, 'DTSTAMP:20260101T000000Z',
    `DTSTART:${stamp(start)}`, `DTEND:${stamp(end)}`, `SUMMARY:Event ${i}`, ...(recurring ? [rules[i % rules.length]!] : []),
    'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

export async function benchCaldav(options: CaldavBenchOptions): Promise<void> {
  const auth = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const calendar = `${options.url}/dav/calendars/${options.user}/calendar/`;
  const request = async (method: string, url: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(url, { method, headers: { authorization: auth, ...headers }, body });
    const text = await res.text();
    if (res.status >= 300 && res.status !== 207) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
    return text;
  };
  const loadStarted = Date.now();
  const recurEvery = Math.floor(options.events / options.recurring);
  for (let i = 0; i < options.events; i += 32) {
    await Promise.all(Array.from({ length: Math.min(32, options.events - i) }, (_, k) => i + k)
      .map((n) => request('PUT', `${calendar}bench-${n}.ics`, event(n, n % recurEvery === 0), { 'content-type': 'text/calendar' })));
  }
  const loadSeconds = (Date.now() - loadStarted) / 1000;

  const month = `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20260601T000000Z" end="20260701T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
  const queryMs: number[] = [];
  let matched = 0;
  let firstMs = 0;
  for (let run = 0; run < 22; run++) {
    const started = performance.now();
    const xml = await request('REPORT', calendar, month, { 'content-type': 'application/xml', depth: '1' });
    // The first query expands every recurring event once (the server's instance index, warmed by the PUTs); two runs warm up.
    if (run === 0) firstMs = performance.now() - started;
    if (run >= 2) queryMs.push(performance.now() - started);
    matched = (xml.match(/<d:response>/g) ?? []).length;
  }

  const syncBody = (token: string) => `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
  const tokenOf = (xml: string) => /<d:sync-token>([^<]+)<\/d:sync-token>/.exec(xml)![1]!;
  let token = tokenOf(await request('REPORT', calendar, syncBody(''), { 'content-type': 'application/xml' }));
  const syncMs: number[] = [];
  let reported = 0;
  for (let run = 0; run < 22; run++) {
    await request('PUT', `${calendar}bench-${run}.ics`, event(run, false).replace('SUMMARY:', `SUMMARY:changed ${run} `), { 'content-type': 'text/calendar' });
    const started = performance.now();
    const xml = await request('REPORT', calendar, syncBody(token), { 'content-type': 'application/xml' });
    if (run >= 2) syncMs.push(performance.now() - started);
    reported = (xml.match(/<d:response>/g) ?? []).length;
    token = tokenOf(xml);
  }

  console.log(`# caldav: ${options.events} events (${options.recurring} recurring) loaded over CalDAV in ${loadSeconds.toFixed(1)} s`);
  console.log(`# one-month calendar-query: ${matched} events, median ${percentile(queryMs, 50).toFixed(1)} ms, p95 ${percentile(queryMs, 95).toFixed(1)} ms (target < 100 ms); the first one after loading ${firstMs.toFixed(1)} ms`);
  console.log(`# sync-collection after one change: ${reported} change reported, median ${percentile(syncMs, 50).toFixed(1)} ms, p95 ${percentile(syncMs, 95).toFixed(1)} ms (target < 20 ms)`);
  console.log(`bench=caldav events=${options.events} recurring=${options.recurring} load_s=${loadSeconds.toFixed(1)} month_query_matches=${matched} month_query_ms_p50=${percentile(queryMs, 50).toFixed(1)} month_query_ms_p95=${percentile(queryMs, 95).toFixed(1)} month_query_first_ms=${firstMs.toFixed(1)} sync_ms_p50=${percentile(syncMs, 50).toFixed(1)} sync_ms_p95=${percentile(syncMs, 95).toFixed(1)}`);
}
