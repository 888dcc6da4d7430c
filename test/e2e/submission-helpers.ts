import assert from 'node:assert/strict';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls, type PeerCertificate } from 'node:tls';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { runPython } from './system-tools.js';

/** Clients for the submission tests: nodemailer over STARTTLS with AUTH, Python's smtplib step by step, and a bare STARTTLS probe. */

export interface Credentials { readonly user: string; readonly password: string }

/** nodemailer as a mail client configures it: STARTTLS required, the self-signed certificate accepted. */
export function submissionTransport(port: number, credentials: Credentials, options: { authMethod?: 'PLAIN' | 'LOGIN'; pool?: boolean } = {}): Transporter {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    name: 'client.test',
    auth: { user: credentials.user, pass: credentials.password },
    ...(options.authMethod ? { authMethod: options.authMethod } : {}),
    ...(options.pool ? { pool: true, maxConnections: 1, maxMessages: Infinity } : {}),
    tls: { rejectUnauthorized: false },
  });
}

export interface Refusal { responseCode: number; response: string; command: string }

/** Sends once with a fresh transport; returns the final reply. */
export async function submit(port: number, credentials: Credentials, message: SendMailOptions, authMethod?: 'PLAIN' | 'LOGIN'): Promise<string> {
  const transport = submissionTransport(port, credentials, authMethod ? { authMethod } : {});
  try {
    return (await transport.sendMail(message)).response ?? '';
  } finally {
    transport.close();
  }
}

/** Sends with a transport that must be refused; returns nodemailer's account of the refusal. */
export async function refused(send: () => Promise<unknown>): Promise<Refusal> {
  const err = await send().then(() => assert.fail('the server accepted what it must refuse'), (e: unknown) => e as Refusal);
  return { responseCode: err.responseCode, response: err.response, command: err.command };
}

export type Reply = [number, string];

export interface SmtplibSession {
  port: number;
  starttls?: boolean;
  auth?: { method: 'PLAIN' | 'LOGIN'; user: string; password: string };
  from?: string;
  to?: string[];
  data?: Buffer;
}

export interface SmtplibTranscript {
  /** EHLO keywords (lower case) with their parameters, before STARTTLS. */
  features: Record<string, string>;
  starttls: Reply | null;
  featuresAfterTls: Record<string, string> | null;
  auth: Reply | null;
  mail: Reply | null;
  rcpt: Reply[];
  data: Reply | null;
}

/* Python's smtplib driven command by command, so that every reply is seen with its code and text. */
const smtplibScript = String.raw`
import base64, json, smtplib, ssl, sys
spec = json.load(sys.stdin)
text = lambda b: b.decode('utf-8', 'replace') if isinstance(b, bytes) else str(b)
s = smtplib.SMTP('127.0.0.1', spec['port'], local_hostname='client.test', timeout=60)
s.ehlo()
out = {'features': dict(s.esmtp_features), 'starttls': None, 'featuresAfterTls': None, 'auth': None, 'mail': None, 'rcpt': [], 'data': None}
if spec.get('starttls'):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    code, msg = s.starttls(context=context)
    out['starttls'] = [code, text(msg)]
    s.ehlo()
    out['featuresAfterTls'] = dict(s.esmtp_features)
auth = spec.get('auth')
ok = True
if auth:
    s.user, s.password = auth['user'], auth['password']
    try:
        code, msg = s.auth(auth['method'], getattr(s, 'auth_' + auth['method'].lower()))
    except smtplib.SMTPAuthenticationError as e:
        code, msg = e.smtp_code, e.smtp_error
    out['auth'] = [code, text(msg)]
    ok = code == 235
if ok and spec.get('from') is not None:
    code, msg = s.mail(spec['from'])
    out['mail'] = [code, text(msg)]
    if code == 250:
        for r in spec.get('to', []):
            code, msg = s.rcpt(r)
            out['rcpt'].append([code, text(msg)])
        if spec.get('data') and any(c == 250 for c, _ in out['rcpt']):
            try:
                code, msg = s.data(base64.b64decode(spec['data']))
            except smtplib.SMTPDataError as e:
                code, msg = e.smtp_code, e.smtp_error
            out['data'] = [code, text(msg)]
try:
    s.quit()
except smtplib.SMTPServerDisconnected:
    pass
print(json.dumps(out))
`;

export function smtplibSession(session: SmtplibSession): Promise<SmtplibTranscript> {
  return runPython<SmtplibTranscript>(smtplibScript, { ...session, ...(session.data ? { data: session.data.toString('base64') } : {}) });
}

/**
 * Speaks SMTP up to STARTTLS on a bare socket and returns the certificate the server presents
 * (RFC 3207), with the EHLO keywords it offered before.
 */
export function startTlsCertificate(port: number): Promise<{ ehlo: string[]; certificate: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    const ehlo: string[] = [];
    const steps = ['EHLO client.test\r\n', 'STARTTLS\r\n'];
    let buffered = '';
    let phase = 0;
    socket.setTimeout(15_000, () => socket.destroy(new Error('STARTTLS probe timed out')));
    socket.once('error', reject);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (phase === 1) ehlo.push(line.slice(4));
        if (!/^\d{3} /.test(line)) continue;
        if (phase === 2) {
          if (!line.startsWith('220 ')) return reject(new Error(`STARTTLS refused: ${line}`));
          socket.off('data', onData);
          const secure = connectTls({ socket, rejectUnauthorized: false, servername: 'localhost' }, () => {
            const certificate = secure.getPeerCertificate();
            secure.end();
            resolve({ ehlo, certificate });
          });
          secure.once('error', reject);
          return;
        }
        socket.write(steps[phase]!);
        phase++;
      }
    };
    socket.on('data', onData);
  });
}
