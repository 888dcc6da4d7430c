import { connect, type Socket } from 'node:net';

/**
 * A bare IMAP connection for tests that need bytes no client library would send: reads CRLF
 * lines (literals in responses are kept inline as text), writes whatever it is given.
 */
export class RawImap {
  private buffer = '';
  /** Received lines; `head` is the next one to hand out (no shifting of a 100,000-line array). */
  private lines: string[] = [];
  private head = 0;
  private waiter: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const parts = (this.buffer + chunk).split('\r\n');
      this.buffer = parts.pop()!;
      for (const part of parts) this.lines.push(part);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  private take(): string {
    const line = this.lines[this.head++]!;
    if (this.head > 4096 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
    return line;
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawImap> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const raw = new RawImap(socket);
    await raw.line();
    return raw;
  }

  /** The next line from the server (throws after `timeoutMs`). */
  async line(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.head >= this.lines.length) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no line from the server in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.take();
  }

  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends `<tag> <text>` and returns the untagged lines and the tagged completion. */
  async command(tag: string, text: string, timeoutMs = 5000): Promise<{ untagged: string[]; done: string }> {
    this.write(`${tag} ${text}\r\n`);
    return this.until(tag, timeoutMs);
  }

  /** Lines up to the one tagged `tag`. */
  async until(tag: string, timeoutMs = 5000): Promise<{ untagged: string[]; done: string }> {
    const untagged: string[] = [];
    const prefix = `${tag} `;
    for (;;) {
      // Lines already received are consumed without an await each.
      const line = this.head < this.lines.length ? this.take() : await this.line(timeoutMs);
      if (line.startsWith(prefix)) return { untagged, done: line };
      untagged.push(line);
    }
  }

  async login(user: string, password: string): Promise<void> {
    const { done } = await this.command('L0', `LOGIN "${user}" "${password}"`);
    if (!done.startsWith('L0 OK')) throw new Error(`login failed: ${done}`);
  }

  close(): void {
    this.socket.destroy();
  }
}
