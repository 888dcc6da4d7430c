import { connect, type Socket } from 'node:net';

/**
 * A bare IMAP connection for tests that need bytes no client library would send: reads CRLF
 * lines (literals in responses are kept inline as text), writes whatever it is given.
 */
export class RawImap {
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let at: number;
      while ((at = this.buffer.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, at));
        this.buffer = this.buffer.slice(at + 2);
      }
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
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
    while (this.lines.length === 0) {
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
    return this.lines.shift()!;
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
    for (;;) {
      const line = await this.line(timeoutMs);
      if (line.startsWith(`${tag} `)) return { untagged, done: line };
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
