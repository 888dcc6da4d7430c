import assert from 'node:assert/strict';
import type { MxRecord } from 'node:dns';
import { describe, it } from 'node:test';
import { mxRoute, parseSmarthost, type MxResolver } from './route.js';

const dnsError = (code: string) => Object.assign(new Error(`query ${code}`), { code });

function resolver(records: { mx?: MxRecord[] | string; a?: string[] | string; aaaa?: string[] | string }): MxResolver {
  const answer = <T>(value: T | string | undefined): Promise<T> =>
    typeof value === 'string' ? Promise.reject(dnsError(value)) : value === undefined ? Promise.reject(dnsError('ENODATA')) : Promise.resolve(value);
  return { resolveMx: async () => answer(records.mx), resolve4: async () => answer(records.a), resolve6: async () => answer(records.aaaa) };
}

describe('mxRoute (RFC 5321 §5.1)', () => {
  it('tries MX hosts by preference, lowest first', async () => {
    const route = await mxRoute(resolver({ mx: [{ exchange: 'backup.example.net', priority: 20 }, { exchange: 'mx1.example.net.', priority: 10 }] }))('example.net');
    assert.deepEqual(route, { kind: 'hosts', hosts: [{ host: 'mx1.example.net', port: 25 }, { host: 'backup.example.net', port: 25 }] });
  });

  it('orders hosts of equal preference at random', async () => {
    const mx = [{ exchange: 'a.example.net', priority: 10 }, { exchange: 'b.example.net', priority: 10 }];
    const first = async (random: number) => {
      let calls = 0;
      const route = await mxRoute(resolver({ mx }), 25, () => (calls++ === 0 ? random : 0.5))('example.net');
      return route.kind === 'hosts' ? route.hosts[0]!.host : '';
    };
    assert.deepEqual(new Set([await first(0.1), await first(0.9)]), new Set(['a.example.net', 'b.example.net']));
  });

  it('without MX records, falls back to the domain itself when it has an address', async () => {
    assert.deepEqual(await mxRoute(resolver({ a: ['192.0.2.1'] }), 2525)('example.net'), { kind: 'hosts', hosts: [{ host: 'example.net', port: 2525 }] });
    assert.deepEqual(await mxRoute(resolver({ aaaa: ['2001:db8::1'] }))('example.net'), { kind: 'hosts', hosts: [{ host: 'example.net', port: 25 }] });
  });

  it('a domain with no mail server, a null MX (RFC 7505) or no existence fails for good', async () => {
    const none = await mxRoute(resolver({}))('example.net');
    assert.equal(none.kind === 'failed' && none.permanent, true);
    assert.equal(none.kind === 'failed' && none.status, '5.1.2');
    const nullMx = await mxRoute(resolver({ mx: [{ exchange: '', priority: 0 }] }))('example.net');
    assert.equal(nullMx.kind === 'failed' && nullMx.status, '5.1.10');
    const missing = await mxRoute(resolver({ mx: 'ENOTFOUND' }))('nowhere.example');
    assert.equal(missing.kind === 'failed' && missing.permanent, true);
  });

  it('a DNS outage is temporary', async () => {
    const route = await mxRoute(resolver({ mx: 'ESERVFAIL' }))('example.net');
    assert.deepEqual(route, { kind: 'failed', permanent: false, status: '4.4.3', reason: 'Looking up the mail servers of example.net failed (ESERVFAIL).' });
    const aFails = await mxRoute(resolver({ a: 'ETIMEOUT' }))('example.net');
    assert.equal(aFails.kind === 'failed' && aFails.permanent, false);
  });
});

describe('parseSmarthost', () => {
  it('reads host:port, [ipv6]:port and a bare host', () => {
    assert.deepEqual(parseSmarthost('relay.contoso.com:587'), { host: 'relay.contoso.com', port: 587 });
    assert.deepEqual(parseSmarthost('[2001:db8::25]:2525'), { host: '2001:db8::25', port: 2525 });
    assert.deepEqual(parseSmarthost('relay'), { host: 'relay', port: 25 });
  });
  it('refuses anything else with the setting named', () => {
    for (const bad of ['relay:0', 'relay:70000', 'relay:smtp', ':25', 'a b:25']) assert.throws(() => parseSmarthost(bad), /MAILROOM_SMARTHOST must be host:port/);
  });
});
