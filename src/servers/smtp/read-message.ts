import type { Readable } from 'node:stream';

/**
 * Reads the DATA stream into one buffer, keeping nothing past `limit` bytes (the rest is
 * drained so the session can answer 552). smtp-server has already undone dot-stuffing.
 */
export async function readMessage(stream: Readable, limit: number): Promise<{ raw: Buffer; tooBig: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooBig = true;
    else chunks.push(chunk);
  }
  return { raw: tooBig ? Buffer.alloc(0) : Buffer.concat(chunks, size), tooBig: tooBig || (stream as Readable & { sizeExceeded?: boolean }).sizeExceeded === true };
}

/** RFC 5321 §4.4 trace field. */
export function receivedHeader(options: { helo: string; ip: string; hostname: string; protocol: string; id: string; recipient?: string }): string {
  const recipientClause = options.recipient ? `\r\n\tfor <${options.recipient}>` : '';
  return `Received: from ${options.helo || 'unknown'} ([${options.ip}])\r\n\tby ${options.hostname} (Mailroom) with ${options.protocol} id ${options.id}${recipientClause};\r\n\t${new Date().toUTCString().replace('GMT', '+0000')}\r\n`;
}
