// Writes responses to a Writable with backpressure, streaming literal bodies straight from their
// source: a 35 MB BODY[] is never held in memory. A stream that yields more or fewer octets than
// its literal announced is a fault the client cannot recover from: the caller must close.
import { Buffer } from 'node:buffer';
import type { Writable } from 'node:stream';
import { encodeResponse } from './responses.js';
import type { Response, SerializeOptions } from './response-types.js';

export class LiteralSizeMismatch extends Error {
  constructor(readonly announced: number, readonly actual: number) {
    super(`Literal announced ${announced} octets but its stream gave ${actual === -1 ? 'more' : actual}`);
    this.name = 'LiteralSizeMismatch';
  }
}

function drained(sink: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      sink.off('drain', onDrain);
      sink.off('close', onClose);
      sink.off('error', onError);
    };
    const onDrain = (): void => { cleanup(); resolve(); };
    const onClose = (): void => { cleanup(); reject(new Error('Connection closed while writing a response')); };
    const onError = (error: Error): void => { cleanup(); reject(error); };
    sink.on('drain', onDrain);
    sink.on('close', onClose);
    sink.on('error', onError);
  });
}

async function write(sink: Writable, chunk: Buffer): Promise<void> {
  if (!sink.write(chunk)) await drained(sink);
}

/** Writes one response, waiting for the sink to drain whenever it asks to. */
export async function writeResponse(sink: Writable, response: Response, options: SerializeOptions = {}): Promise<void> {
  for (const part of encodeResponse(response, options)) {
    if (Buffer.isBuffer(part)) {
      await write(sink, part);
      continue;
    }
    let written = 0;
    for await (const chunk of part.stream) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('A streamed body must yield bytes, not strings');
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      written += bytes.length;
      if (written > part.size) throw new LiteralSizeMismatch(part.size, -1);
      await write(sink, bytes);
    }
    if (written !== part.size) throw new LiteralSizeMismatch(part.size, written);
  }
}
