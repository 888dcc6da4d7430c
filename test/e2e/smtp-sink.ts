import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server standing in for the rest of the Internet (a smarthost or a remote MX):
 * it records every envelope and the exact bytes of every message, and answers what the test
 * tells it to. STARTTLS is offered with smtp-server's own self-signed certificate, so the
 * client's opportunistic TLS is exercised too.
 */

/** 250 accepts; 451 defers (RFC 5321 §4.2.2); 550 refuses for good; 421 closes the channel. */
export type SinkAnswer = 250 | 421 | 451 | 550;

export interface SinkEnvelope { readonly from: string; readonly to: readonly string[] }

export interface SinkMessage extends SinkEnvelope {
  readonly raw: Buffer;
  /** The session ran over TLS (STARTTLS). */
  readonly secure: boolean;
  readonly helo: string;
}

export interface SinkAttempt extends SinkEnvelope { readonly answer: SinkAnswer; readonly at: number }

const replyText: Record<Exclude<SinkAnswer, 250>, string> = {
  421: 'Service not available, closing transmission channel',
  451: 'Requested action aborted: local error in processing, try again later',
  550: 'Requested action not taken: mailbox unavailable',
};

const refusal = (answer: Exclude<SinkAnswer, 250>): Error => Object.assign(new Error(replyText[answer]), { responseCode: answer });

export class SmtpSink {
  /** Messages answered with 250, in arrival order. */
  readonly messages: SinkMessage[] = [];
  /** Every DATA transaction with the answer it got. */
  readonly attempts: SinkAttempt[] = [];
  /** The reply to the end of DATA; 250 unless a test says otherwise. */
  answer: (envelope: SinkEnvelope) => SinkAnswer = () => 250;
  /** Holds the reply to DATA this long (to catch a client in the middle of a transaction). */
  holdMs = 0;

  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      name: 'sink.example.net',
      banner: 'test sink',
      authOptional: true,
      disabledCommands: ['AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const answer = sink!.answer(envelope);
          sink!.attempts.push({ ...envelope, answer, at: Date.now() });
          if (answer === 250) sink!.messages.push({ ...envelope, raw: Buffer.concat(chunks), secure: session.secure, helo: session.hostNameAppearsAs });
          setTimeout(() => callback(answer === 250 ? null : refusal(answer), answer === 250 ? 'Ok: stored by the sink' : undefined), sink!.holdMs);
        });
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    server.on('error', () => undefined);
    sink = new SmtpSink(server, port);
    return sink;
  }

  /** Polls until `predicate` holds, for at most `timeoutMs`. */
  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`sink: timed out waiting for ${what}; attempts so far: ${JSON.stringify(this.attempts)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The first accepted message for `recipient`. */
  messageFor(recipient: string, timeoutMs?: number): Promise<SinkMessage> {
    return this.waitFor(`a message for ${recipient}`, () => this.messages.find((m) => m.to.includes(recipient)), timeoutMs);
  }

  attemptsFor(recipient: string): SinkAttempt[] {
    return this.attempts.filter((a) => a.to.includes(recipient));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
