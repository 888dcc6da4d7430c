import { isIP } from 'node:net';
import { createTransport, type Transporter } from 'nodemailer';
import { classifySendError, oneLine, type AttemptOutcome, type ClassifiedError } from './attempt-outcome.js';
import type { RouteHost } from './route.js';

export interface SmtpClientOptions {
  /** Our name in EHLO. */
  readonly hostname: string;
  /** Connection, greeting and per-command timeouts. */
  readonly timeoutMs: number;
}

/** RFC 5321 §4.1.1.2: the reverse-path ('' is the null sender, "MAIL FROM:<>") and one forward-path. */
export interface Envelope { readonly from: string; readonly to: string }

/**
 * Sends the messages of one destination domain over nodemailer's SMTP transport, reusing one
 * connection for all of them. Hosts are tried in route order; a host that can't be used (no
 * connection, 421, timeouts) is left for the next one for the rest of this session, as
 * RFC 5321 §5.1 asks. STARTTLS is opportunistic (RFC 3207, RFC 7435): used whenever offered,
 * certificates not checked, and a host whose TLS handshake fails is retried in plain text.
 */
export class DestinationSession {
  private index = 0;
  private plainText = false;
  private transport: Transporter | undefined;
  private lastHostFailure: ClassifiedError | undefined;

  constructor(
    private readonly hosts: readonly RouteHost[],
    private readonly options: SmtpClientOptions,
    private readonly signal: AbortSignal,
  ) {}

  async send(envelope: Envelope, raw: Buffer): Promise<AttemptOutcome> {
    for (;;) {
      if (this.signal.aborted) return { kind: 'aborted' };
      const host = this.hosts[this.index];
      if (!host) return this.lastHostFailure?.outcome ?? { kind: 'deferred', status: '4.4.0', reason: 'There is no mail server to try.' };
      try {
        this.transport ??= this.open(host);
        const info = await this.transport.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw, signal: this.signal });
        return { kind: 'delivered', reply: oneLine(String(info.response ?? '')), host: host.host };
      } catch (err) {
        const classified = classifySendError(err, host.host);
        if (!classified.tryNextHost) return classified.outcome;
        this.closeTransport();
        if (classified.tlsFailed && !this.plainText) {
          this.plainText = true;
          continue;
        }
        this.lastHostFailure = classified;
        this.index += 1;
        this.plainText = false;
      }
    }
  }

  close(): void {
    this.closeTransport();
  }

  private open(host: RouteHost): Transporter {
    const { hostname, timeoutMs } = this.options;
    const transport = createTransport({
      pool: true,
      maxConnections: 1,
      maxMessages: 100,
      // One quiet retry when a reused connection was dropped before the message went out.
      maxRequeues: 1,
      host: host.host,
      port: host.port,
      secure: false,
      ignoreTLS: this.plainText,
      opportunisticTLS: true,
      // RFC 6066 §3: SNI carries host names only.
      tls: { rejectUnauthorized: false, ...(isIP(host.host) ? {} : { servername: host.host }) },
      name: hostname,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    // Failures reach sendMail's promise; a stray 'error' event must not take the process down.
    transport.on('error', () => undefined);
    return transport;
  }

  private closeTransport(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}
