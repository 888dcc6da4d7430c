import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { LiteralSizeMismatch, writeResponse } from './response-writer.js';
import type { Response } from './response-types.js';

/** A sink that accepts a little at a time, so writes wait for 'drain'. */
function slowSink(): { sink: Writable; output: () => Buffer; maxPending: () => number } {
  const chunks: Buffer[] = [];
  let pending = 0;
  let maxPending = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      pending += chunk.length;
      maxPending = Math.max(maxPending, pending);
      chunks.push(chunk);
      setImmediate(() => { pending -= chunk.length; callback(); });
    },
  });
  return { sink, output: () => Buffer.concat(chunks), maxPending: () => maxPending };
}

function bodyResponse(stream: Readable, size: number): Response {
  return { type: 'FETCH', sequence: 1, items: [{ type: 'UID', uid: 7 }, { type: 'BODY[]', section: { part: [], specifier: null, fields: [] }, origin: null, data: { stream, size } }] };
}

describe('writeResponse', () => {
  it('streams a body as a literal, chunk by chunk, honouring backpressure', async () => {
    const size = 1024 * 1024;
    let produced = 0;
    const stream = new Readable({
      read() {
        if (produced >= size) { this.push(null); return; }
        const chunk = Buffer.alloc(Math.min(16384, size - produced), 0x61 + ((produced / 16384) % 26));
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const { sink, output, maxPending } = slowSink();
    await writeResponse(sink, bodyResponse(stream, size));
    const out = output();
    const head = `* 1 FETCH (UID 7 BODY[] {${size}}\r\n`;
    assert.equal(out.subarray(0, head.length).toString(), head);
    assert.equal(out.length, head.length + size + 3);
    assert.equal(out.subarray(out.length - 3).toString(), ')\r\n');
    assert.ok(maxPending() < 64 * 1024, `pending ${maxPending()}`);
  });

  it('fails when the stream gives fewer or more octets than announced', async () => {
    await assert.rejects(writeResponse(slowSink().sink, bodyResponse(Readable.from([Buffer.from('abc')]), 5)), LiteralSizeMismatch);
    await assert.rejects(writeResponse(slowSink().sink, bodyResponse(Readable.from([Buffer.from('abcdef')]), 5)), LiteralSizeMismatch);
  });

  it('writes plain responses whole', async () => {
    const { sink, output } = slowSink();
    await writeResponse(sink, { type: 'EXISTS', count: 3 });
    assert.equal(output().toString(), '* 3 EXISTS\r\n');
  });
});
