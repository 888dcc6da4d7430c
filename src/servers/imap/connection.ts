import { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { TLSSocket, type SecureContextOptions } from 'node:tls';
import { createDeflateRaw, createInflateRaw, constants as zlib } from 'node:zlib';
import { CommandReader, serializeResponse, writeResponse } from '../../protocol/imap/index.js';
import type { CommandReaderOptions, ReaderEvent, Response } from '../../protocol/imap/index.js';

/**
 * The byte side of one IMAP connection: the socket (replaced by TLS after STARTTLS, wrapped in
 * deflate after COMPRESS), the command reader, and ordered writes with backpressure. What the
 * bytes mean is the session's (session.ts).
 */
export class ImapConnection {
  readonly reader: CommandReader;
  private input: Duplex;
  private output: { write(chunk: Buffer): boolean; once(event: 'drain', listener: () => void): unknown };
  private deflate: ReturnType<typeof createDeflateRaw> | null = null;
  private closed = false;
  private onEvents: (events: ReaderEvent[]) => void = () => undefined;
  private onClose: () => void = () => undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private socket: Duplex, readerOptions: CommandReaderOptions, readonly remoteAddress: string) {
    this.reader = new CommandReader(readerOptions);
    this.input = socket;
    this.output = socket;
    this.attach(socket);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isSecure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  get isCompressed(): boolean {
    return this.deflate !== null;
  }

  /** Where reader events go (the session's queue). */
  handle(onEvents: (events: ReaderEvent[]) => void, onClose: () => void): void {
    this.onEvents = onEvents;
    this.onClose = onClose;
  }

  private attach(stream: Duplex): void {
    stream.on('data', this.receive);
    stream.on('error', () => this.close());
    stream.on('close', () => this.close());
    stream.on('end', () => this.close());
  }

  private readonly receive = (chunk: Buffer): void => {
    if (this.closed) return;
    const events = this.reader.push(chunk);
    if (events.length > 0) this.onEvents(events);
  };

  /** Sends one response; resolves once it is handed to the socket (waits on backpressure). */
  send(response: Response, utf8: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      await writeResponse(this.writable(), response, { utf8 });
      this.flushDeflate();
    });
  }

  /**
   * Sends many small responses as few large writes: `UID FETCH 1:* (FLAGS)` on 100,000 messages
   * is 100,000 lines, written 256 KiB at a time. Responses must not stream bodies.
   */
  sendMany(responses: readonly Response[], utf8: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      let pending: Buffer[] = [];
      let size = 0;
      const sink = this.writable();
      for (const response of responses) {
        const bytes = serializeResponse(response, { utf8 });
        pending.push(bytes);
        size += bytes.length;
        if (size >= 256 * 1024) {
          if (!sink.write(Buffer.concat(pending, size))) await this.drained(sink);
          pending = [];
          size = 0;
        }
      }
      if (size > 0 && !sink.write(Buffer.concat(pending, size))) await this.drained(sink);
      this.flushDeflate();
    });
  }

  /** Sends protocol text already formatted by the caller (FETCH's fast path), in order with the rest. */
  sendRaw(chunk: Buffer): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return;
      const sink = this.writable();
      if (!sink.write(chunk)) await this.drained(sink);
      this.flushDeflate();
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.writing.then(work);
    this.writing = next.catch(() => this.close());
    return next;
  }

  private writable(): Duplex {
    return (this.deflate ?? this.socket) as unknown as Duplex;
  }

  private drained(sink: Duplex): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const socket = this.socket;
      // Both listeners go once either fires: a long FETCH waits for many drains.
      const done = (): void => {
        sink.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      sink.once('drain', done);
      socket.once('close', done);
    });
  }

  private flushDeflate(): void {
    // RFC 4978 §4: each response must reach the client, so flush after every write burst.
    this.deflate?.flush(zlib.Z_SYNC_FLUSH);
  }

  /** Waits for everything queued so far to be written. */
  flush(): Promise<void> {
    return this.writing;
  }

  /** RFC 3501 §6.2.1 / RFC 9051 §6.2.1: the TLS negotiation starts right after the tagged OK. */
  async startTls(context: SecureContextOptions): Promise<void> {
    await this.flush();
    this.socket.off('data', this.receive);
    const plain = this.socket;
    const secure = new TLSSocket(plain as never, { isServer: true, ...context });
    this.socket = secure;
    this.input = secure;
    this.output = secure;
    this.attach(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
    });
  }

  /** RFC 4978 §3: after the tagged OK of COMPRESS DEFLATE, both directions are raw deflate. */
  async startCompression(): Promise<void> {
    await this.flush();
    this.input.off('data', this.receive);
    const inflate = createInflateRaw();
    const deflate = createDeflateRaw({ level: 6 });
    deflate.on('data', (chunk: Buffer) => { if (!this.closed) this.socket.write(chunk); });
    inflate.on('data', this.receive);
    inflate.on('error', () => this.close());
    this.input.on('data', (chunk: Buffer) => inflate.write(chunk));
    this.deflate = deflate;
    this.output = deflate;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.deflate?.destroy();
    this.onClose();
  }

  /** Ends the connection once queued writes are out (after BYE). */
  async end(): Promise<void> {
    await this.flush().catch(() => undefined);
    if (this.deflate) {
      await new Promise<void>((resolve) => this.deflate!.flush(zlib.Z_SYNC_FLUSH, () => resolve()));
    }
    this.socket.end();
    setTimeout(() => this.close(), 1000).unref();
  }
}
