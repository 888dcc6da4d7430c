import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { removeDataDir } from './harness.js';
import { hasCommand, ics, people, pythonCaldav, shared, startCalendarOrg, type CalendarOrg, type Person } from './caldav-helpers.js';

/**
 * Runs a python3-caldav script as `who`. The script gets `client` (a DAVClient started at
 * /.well-known/caldav, as a user would configure it) and `out` (a dict printed as JSON at the end).
 */
function python(interpreter: string, org: CalendarOrg, who: Person, body: string): any {
  const script = [
    'import caldav, datetime, json, sys',
    `client = caldav.DAVClient(url=${JSON.stringify(`${org.server.url}/.well-known/caldav`)}, username=${JSON.stringify(who.address)}, password=${JSON.stringify(who.password)})`,
    'out = {}',
    'def path(obj): return str(obj.url).split("/", 3)[3].replace("%40", "@")',
    body,
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync(interpreter, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `python caldav failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

describe('CalDAV with python3-caldav', () => {
  const found = pythonCaldav();
  let org: CalendarOrg;
  before(async () => {
    if ('skip' in found) return;
    org = await startCalendarOrg();
  });
  after(async () => {
    if (!org) return;
    await org.server.stop();
    removeDataDir(org.server.dataDir);
  });

  test('discovery lists the own and the shared calendar; CRUD, recurring date search and sync', (t) => {
    if ('skip' in found) return t.skip(found.skip);
    const result = python(found.python, org, people.alice, `
principal = client.principal()
out['principal'] = path(principal)
cals = principal.calendars()
out['calendars'] = sorted([[path(c), c.name] for c in cals])
cal = [c for c in cals if 'shared~' in str(c.url)][0]
event = cal.save_event(${JSON.stringify(ics({ uid: 'py-weekly', start: '20260105T090000Z', end: '20260105T100000Z', summary: 'Weekly', extra: ['RRULE:FREQ=WEEKLY;COUNT=10'] }))})
out['saved'] = path(event)
hits = cal.date_search(start=datetime.datetime(2026, 2, 2, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 2, 3, tzinfo=datetime.timezone.utc))
out['february'] = [path(h) for h in hits]
out['after'] = [path(h) for h in cal.date_search(start=datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc), end=datetime.datetime(2026, 4, 30, tzinfo=datetime.timezone.utc))]
token_before = cal.objects_by_sync_token().sync_token
event.load()
event.data = event.data.replace('SUMMARY:Weekly', 'SUMMARY:Weekly (renamed)')
event.save()
changes = cal.objects_by_sync_token(sync_token=token_before, load_objects=True)
out['changed'] = [[path(o), 'renamed' in o.data] for o in changes]
out['events'] = len(cal.events())
event.delete()
out['after_delete'] = len(cal.events())
`);
    assert.equal(result.principal, 'dav/principals/alice@contoso.com/');
    assert.deepEqual(result.calendars, [
      ['dav/calendars/alice@contoso.com/calendar/', 'Calendar'],
      [`dav/calendars/alice@contoso.com/shared~${shared}~calendar/`, 'Info – Calendar'],
    ]);
    assert.equal(result.saved, `dav/calendars/alice@contoso.com/shared~${shared}~calendar/py-weekly.ics`);
    assert.deepEqual(result.february, [result.saved], 'the fifth weekly occurrence, 2 February');
    assert.deepEqual(result.after, [], 'COUNT=10 ends in March');
    assert.deepEqual(result.changed, [[result.saved, true]], 'sync from the old token reports the change with its new data');
    assert.equal(result.events, 1);
    assert.equal(result.after_delete, 0);
  });

  test('a member through a group sees what another member wrote; a non-member finds nothing', (t) => {
    if ('skip' in found) return t.skip(found.skip);
    python(found.python, org, people.alice, `
cal = [c for c in client.principal().calendars() if 'shared~' in str(c.url)][0]
cal.save_event(${JSON.stringify(ics({ uid: 'py-review', start: '20260210T140000Z', end: '20260210T150000Z', summary: 'Review' }))})
`);
    const bob = python(found.python, org, people.bob, `
cal = [c for c in client.principal().calendars() if 'shared~' in str(c.url)][0]
out['summaries'] = sorted([e.vobject_instance.vevent.summary.value for e in cal.events()])
`);
    assert.deepEqual(bob.summaries, ['Review']);
    const dave = python(found.python, org, people.dave, `
out['calendars'] = [path(c) for c in client.principal().calendars()]
try:
    caldav.Calendar(client=client, url=${JSON.stringify(`${org.server.url}/dav/calendars/${shared}/calendar/`)}).events()
    out['shared'] = 'readable'
except caldav.lib.error.DAVError as e:
    out['shared'] = type(e).__name__ + ' ' + str(e)[:40]
`);
    assert.deepEqual(dave.calendars, ['dav/calendars/dave@contoso.com/calendar/']);
    assert.match(dave.shared, /404/);
  });
});

describe('vdirsyncer syncs the shared calendar both ways between two members', () => {
  const available = hasCommand('vdirsyncer');
  let org: CalendarOrg;
  let work: string;
  before(async () => {
    if (!available) return;
    org = await startCalendarOrg();
    work = mkdtempSync(join(tmpdir(), 'mailroom-vdirsyncer-'));
  });
  after(async () => {
    if (!org) return;
    await org.server.stop();
    removeDataDir(org.server.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  /** A vdirsyncer configuration for `who`: the server's calendars, discovered from the root URL, mirrored in a folder. */
  function configure(who: Person, name: string): { run: (...args: string[]) => string; dir: string } {
    const dir = join(work, name);
    const config = join(work, `${name}.conf`);
    writeFileSync(config, [
      '[general]', `status_path = "${join(dir, 'status')}/"`, '',
      '[pair calendars]', 'a = "local"', 'b = "server"', 'collections = ["from b"]', 'conflict_resolution = "b wins"', '',
      '[storage local]', 'type = "filesystem"', `path = "${join(dir, 'local')}/"`, 'fileext = ".ics"', '',
      '[storage server]', 'type = "caldav"', `url = "${org.server.url}/"`, `username = "${who.address}"`, `password = "${who.password}"`, '',
    ].join('\n'));
    const run = (...args: string[]): string => {
      const result = spawnSync('vdirsyncer', ['-c', config, ...args], { encoding: 'utf8', input: 'y\n'.repeat(10), timeout: 60_000 });
      assert.equal(result.status, 0, `vdirsyncer ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
      return `${result.stdout}${result.stderr}`;
    };
    return { run, dir };
  }

  test('alice adds an event in her folder, bob receives it, moves it, and alice gets the move', (t) => {
    if (!available) return t.skip('vdirsyncer is not installed (apt-get install vdirsyncer): vdirsyncer checks skipped');
    const alice = configure(people.alice, 'alice');
    const bob = configure(people.bob, 'bob');
    const collection = `shared~${shared}~calendar`;
    assert.match(alice.run('discover'), new RegExp(`"${collection}" \\("Info – Calendar"\\)`), 'automapped calendar discovered');
    bob.run('discover');
    const aliceFolder = join(alice.dir, 'local', collection);
    const bobFolder = join(bob.dir, 'local', collection);

    writeFileSync(join(aliceFolder, 'offsite.ics'), ics({ uid: 'offsite', start: '20260415T080000Z', end: '20260415T170000Z', summary: 'Offsite' }));
    // A second event keeps the calendar from ever being emptied (vdirsyncer refuses to sync that without --force-delete).
    writeFileSync(join(aliceFolder, 'weekly.ics'), ics({ uid: 'weekly', start: '20260406T080000Z', end: '20260406T083000Z', summary: 'Weekly', extra: ['RRULE:FREQ=WEEKLY'] }));
    assert.match(alice.run('sync'), /Copying \(uploading\) item offsite to server/);
    bob.run('sync');
    const bobCopy = (): string | undefined => readdirSync(bobFolder).find((f) => readFileSync(join(bobFolder, f), 'utf8').includes('UID:offsite'));
    assert.equal(readdirSync(bobFolder).length, 2);
    assert.match(readFileSync(join(bobFolder, bobCopy()!), 'utf8'), /SUMMARY:Offsite/);

    // Bob moves it a day later in his copy; both syncs carry the move to Alice.
    const moved = ics({ uid: 'offsite', start: '20260416T080000Z', end: '20260416T170000Z', summary: 'Offsite (moved)' });
    writeFileSync(join(bobFolder, bobCopy()!), moved);
    assert.match(bob.run('sync'), /Copying \(updating\) item offsite to server/);
    alice.run('sync');
    assert.match(readFileSync(join(aliceFolder, 'offsite.ics'), 'utf8'), /DTSTART:20260416T080000Z/);

    // Alice deletes it; Bob's next sync removes his copy.
    rmSync(join(aliceFolder, 'offsite.ics'));
    assert.match(alice.run('sync'), /Deleting item offsite from server/);
    bob.run('sync');
    assert.equal(bobCopy(), undefined);
    assert.equal(readdirSync(bobFolder).length, 1);
  });
});
