import { connect, type Socket } from 'node:net';

/**
 * A minimal SMTP client for load: one connection per message, no pipelining (like smtplib
 * and most MTAs' first contact), replies read line by line. Returns the latency in ms.
 */
export function sendOne(port: number, from: string, to: readonly string[], message: Buffer): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const commands = [`EHLO bench.local`, `MAIL FROM:<${from}>`, ...to.map((r) => `RCPT TO:<${r}>`), 'DATA'];
    let buffered = '';
    let step = -1; // -1 = greeting
    const fail = (why: string) => { socket.destroy(); reject(new Error(why)); };
    socket.on('error', (err) => reject(err));
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const eol = buffered.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffered.slice(0, eol);
        buffered = buffered.slice(eol + 2);
        if (line[3] === '-') continue; // continuation of a multi-line reply
        const code = Number(line.slice(0, 3));
        if (step < commands.length - 1) {
          if (code >= 400) return fail(line);
          step++;
          socket.write(`${commands[step]}\r\n`);
        } else if (step === commands.length - 1) {
          if (code !== 354) return fail(line);
          step++;
          socket.write(Buffer.concat([message, Buffer.from('\r\n.\r\n')]));
        } else {
          if (code !== 250) return fail(line);
          socket.end('QUIT\r\n');
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
          return;
        }
      }
    });
  });
}

/** A message of exactly `size` bytes (headers included), CRLF line endings, no leading dots. */
export function messageOfSize(size: number, n: number): Buffer {
  const head = `From: bench@example.org\r\nTo: bench@bench.test\r\nSubject: bench message ${n}\r\nMessage-ID: <bench-${n}-${Date.now()}@example.org>\r\n\r\n`;
  const line = 'The quick brown fox jumps over the lazy dog, again and again and again.\r\n';
  let body = '';
  while (head.length + body.length + line.length <= size) body += line;
  body += 'x'.repeat(Math.max(0, size - head.length - body.length));
  return Buffer.from(head + body, 'latin1');
}

export interface LoadResult { sent: number; failed: number; seconds: number; perSecond: number; p50: number; p99: number }

/** Sends `count` messages with `concurrency` parallel connections. */
export async function runLoad(port: number, from: string, to: readonly string[], count: number, concurrency: number, size: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const n = next++;
      try {
        latencies.push(await sendOne(port, from, to, messageOfSize(size, n)));
      } catch {
        failed++;
      }
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { sent: latencies.length, failed, seconds, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}
