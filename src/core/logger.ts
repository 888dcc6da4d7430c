import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs, one event per line. Passwords and message bodies are never logged. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'mailroom' },
    redact: { paths: ['password', '*.password', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
