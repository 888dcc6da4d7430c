import { createSocket, type Socket } from 'node:dgram';

/**
 * A tiny authoritative DNS server on UDP (RFC 1035 §4) for tests: answers TXT questions from a
 * table and NXDOMAIN otherwise, so the MX's SPF, DKIM and DMARC checks (mailauth, through
 * MAILROOM_DNS_SERVERS) meet published policies without the network.
 */
export interface DnsStub {
  readonly address: string;
  /** Names asked for, "TXT _dmarc.fabrikam.com". */
  readonly asked: string[];
  close(): Promise<void>;
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (message[at]! !== 0) {
    const length = message[at]!;
    labels.push(message.toString('latin1', at + 1, at + 1 + length));
    at += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function txtRecord(value: string): Buffer {
  const strings: Buffer[] = [];
  for (let i = 0; i < value.length; i += 255) {
    const piece = Buffer.from(value.slice(i, i + 255), 'latin1');
    strings.push(Buffer.from([piece.length]), piece);
  }
  const rdata = Buffer.concat(strings);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  head.writeUInt16BE(16, 2); // TXT
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

export async function startDnsStub(txt: Record<string, string[]>): Promise<DnsStub> {
  const socket: Socket = createSocket('udp4');
  const asked: string[] = [];
  socket.on('message', (query, peer) => {
    if (query.length < 12) return;
    const { name, end } = readName(query, 12);
    const type = query.readUInt16BE(end);
    asked.push(`${type === 16 ? 'TXT' : `type${type}`} ${name}`);
    const records = type === 16 ? txt[name] ?? [] : [];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    // QR, AA, RD copied, RA; RCODE 3 (NXDOMAIN) when the name has nothing at all.
    const known = txt[name] !== undefined;
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    socket.send(Buffer.concat([header, query.subarray(12, end + 4), ...records.map(txtRecord)]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
