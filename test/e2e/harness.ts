import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const mailroomBin = join(repoRoot, 'bin', 'mailroom.js');

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  readonly adminAddress: string;
  readonly adminPassword: string;
  readonly env: NodeJS.ProcessEnv;
  readonly process: ChildProcess;
  /** Everything the server printed on stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** Calls the API as the first administrator (HTTP Basic). */
  api(method: string, path: string, body?: unknown, auth?: { user: string; password: string } | { token: string } | null): Promise<{ status: number; body: any; headers: Headers }>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Reuse an existing data directory (restart). */
  dataDir?: string;
  domain?: string;
  adminPassword?: string;
}

/** Starts the real `mailroom serve` on free ports with a temporary data directory. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mailroom-e2e-'));
  const domain = options.domain ?? 'contoso.com';
  const adminPassword = options.adminPassword ?? 'Admin-password-1';
  const httpPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MAILROOM_DATA_DIR: dataDir,
    MAILROOM_HOST: '127.0.0.1',
    MAILROOM_HTTP_PORT: String(httpPort),
    MAILROOM_SMTP_PORT: '0',
    MAILROOM_SUBMISSION_PORT: '0',
    MAILROOM_IMAP_PORT: '0',
    MAILROOM_IMAPS_PORT: '0',
    MAILROOM_DOMAIN: domain,
    MAILROOM_ADMIN_PASSWORD: adminPassword,
    MAILROOM_LOG_LEVEL: 'warn',
    ...options.env,
  };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [mailroomBin, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const url = `http://127.0.0.1:${httpPort}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mailroom exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mailroom did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const adminAddress = `admin@${domain}`;
  return {
    url,
    dataDir,
    adminAddress,
    adminPassword,
    env,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async api(method, path, body, auth) {
      const headers: Record<string, string> = {};
      const credentials = auth === undefined ? { user: adminAddress, password: adminPassword } : auth;
      if (credentials && 'token' in credentials) headers.authorization = `Bearer ${credentials.token}`;
      else if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
