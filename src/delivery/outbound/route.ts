import { promises as dns, type MxRecord } from 'node:dns';

/** Where mail for one domain goes: SMTP hosts in the order to try them, or why there is none. */
export type Route =
  | { readonly kind: 'hosts'; readonly hosts: readonly RouteHost[] }
  | { readonly kind: 'failed'; readonly permanent: boolean; readonly status: string; readonly reason: string };

export interface RouteHost { readonly host: string; readonly port: number }

export type RouteLookup = (domain: string) => Promise<Route>;

/** The part of node:dns the MX lookup needs (replaceable in tests). */
export interface MxResolver {
  resolveMx(domain: string): Promise<MxRecord[]>;
  resolve4(domain: string): Promise<string[]>;
  resolve6(domain: string): Promise<string[]>;
}

/** Parses MAILROOM_SMARTHOST: `host:port`, `[ipv6]:port`, or a bare host (port 25). */
export function parseSmarthost(value: string): RouteHost {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const plain = /^([^:[\]\s]+)(?::(\d+))?$/.exec(value);
  const match = bracketed ?? plain;
  const port = match?.[2] === undefined ? 25 : Number(match[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`MAILROOM_SMARTHOST must be host:port (for example relay.contoso.com:587), got "${value}"`);
  }
  return { host: match[1], port };
}

/** Every domain goes through the same relay. */
export function smarthostRoute(relay: RouteHost): RouteLookup {
  return async () => ({ kind: 'hosts', hosts: [relay] });
}

const errorCode = (err: unknown): string => (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '');
/** "This name has no such records" as opposed to "DNS didn't answer". */
const noRecords = (err: unknown): boolean => ['ENODATA', 'ENOTFOUND'].includes(errorCode(err));

/** Equal preferences are tried in random order, spreading load as RFC 5321 §5.1 asks. */
function orderMx(records: readonly MxRecord[], random: () => number): MxRecord[] {
  const keyed = records.map((r) => ({ r, tie: random() }));
  keyed.sort((a, b) => a.r.priority - b.r.priority || a.tie - b.tie);
  return keyed.map((k) => k.r);
}

/**
 * Direct delivery, RFC 5321 §5.1: the domain's MX hosts by preference; with no MX records,
 * the domain itself (its A/AAAA records) as an implicit MX of preference 0. A null MX
 * (RFC 7505) or a domain that does not exist fails at once; a DNS outage is temporary.
 */
export function mxRoute(resolver: MxResolver = dns, port = 25, random: () => number = Math.random): RouteLookup {
  return async (domain) => {
    let records: MxRecord[];
    try {
      records = await resolver.resolveMx(domain);
    } catch (err) {
      if (errorCode(err) === 'ENOTFOUND') return { kind: 'failed', permanent: true, status: '5.1.2', reason: `The domain ${domain} doesn't exist.` };
      if (errorCode(err) !== 'ENODATA') return dnsTrouble(domain, err);
      records = [];
    }
    // RFC 7505 §3: a single MX of "." means the domain accepts no mail.
    if (records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) {
      return { kind: 'failed', permanent: true, status: '5.1.10', reason: `The domain ${domain} doesn't accept email (null MX).` };
    }
    if (records.length > 0) {
      const hosts = orderMx(records.filter((r) => r.exchange !== '' && r.exchange !== '.'), random).map((r) => ({ host: r.exchange.replace(/\.$/, ''), port }));
      return { kind: 'hosts', hosts };
    }
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
    const found = [v4, v6].some((r) => r.status === 'fulfilled' && r.value.length > 0);
    if (found) return { kind: 'hosts', hosts: [{ host: domain, port }] };
    const failure = [v4, v6].find((r): r is PromiseRejectedResult => r.status === 'rejected' && !noRecords(r.reason));
    if (failure) return dnsTrouble(domain, failure.reason);
    return { kind: 'failed', permanent: true, status: '5.1.2', reason: `The domain ${domain} has no mail server (no MX, A or AAAA record).` };
  };
}

function dnsTrouble(domain: string, err: unknown): Route {
  return { kind: 'failed', permanent: false, status: '4.4.3', reason: `Looking up the mail servers of ${domain} failed (${errorCode(err) || String(err)}).` };
}
