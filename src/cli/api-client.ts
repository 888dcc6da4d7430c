import type { SignInResult } from '../admin/sign-in.js';
import { loadCredentials } from './credentials.js';
import { ApiError, CliError } from './errors.js';

export const defaultUrl = 'http://127.0.0.1:8080';

const loginHint = 'Run "mailroom login" to sign in again.';

/** How requests are authorized: a password (HTTP Basic), a saved token, or nothing yet. */
export type Authentication =
  | { readonly kind: 'password'; readonly address: string; readonly password: string }
  | { readonly kind: 'saved-token'; readonly address: string; readonly token: string }
  | { readonly kind: 'none'; readonly reason: string };

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Query;
  /** false for the sign-in request itself. */
  readonly authenticated?: boolean;
}

/** Path segment for an address or a domain name. */
export const segment = (value: string): string => encodeURIComponent(value);

/**
 * A small client for the HTTP API under /api/v1. A refusal becomes an ApiError carrying the
 * problem document's `detail`: the same words the admin center shows.
 */
export class ApiClient {
  constructor(readonly baseUrl: string, private readonly auth: Authentication) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body === undefined ? {} : { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Signs in with address and password; the token is not kept by this client. */
  signIn(address: string, password: string): Promise<SignInResult> {
    return this.request<SignInResult>('POST', '/auth/token', { body: { address, password }, authenticated: false });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (options.authenticated !== false) headers.authorization = await this.authorization();
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.url(path, options.query), {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      text = await response.text();
    } catch (err) {
      throw unreachable(this.baseUrl, err);
    }
    const parsed = parseJson(text);
    if (!response.ok) throw this.refusal(response, parsed);
    return parsed as T;
  }

  /** Nothing to release: an invocation never mints a token of its own. */
  async close(): Promise<void> {}

  /**
   * MAILROOM_USER / MAILROOM_PASSWORD are sent as HTTP Basic (RFC 7617) on each request, so a
   * script's every call doesn't mint a token and a sign-in entry in the audit log; an
   * interactive `mailroom login` saves a bearer token instead.
   */
  private async authorization(): Promise<string> {
    if (this.auth.kind === 'none') throw new CliError(this.auth.reason);
    if (this.auth.kind === 'saved-token') return `Bearer ${this.auth.token}`;
    return `Basic ${Buffer.from(`${this.auth.address}:${this.auth.password}`, 'utf8').toString('base64')}`;
  }

  private url(path: string, query: Query | undefined): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return `${this.baseUrl}/api/v1${path}${search ? `?${search}` : ''}`;
  }

  private refusal(response: Response, body: unknown): CliError {
    const problem = typeof body === 'object' && body !== null ? body as { detail?: unknown; type?: unknown } : {};
    const detail = typeof problem.detail === 'string' && problem.detail !== ''
      ? problem.detail
      : `The Mailroom server at ${this.baseUrl} answered ${response.status} ${response.statusText}.`;
    if (response.status === 401 && this.auth.kind === 'saved-token') {
      return new ApiError(`The saved sign-in of ${this.auth.address} is no longer valid (${detail.replace(/\.$/, '')}). ${loginHint}`, 401, 'unauthenticated');
    }
    return new ApiError(detail, response.status, typeof problem.type === 'string' ? problem.type : undefined);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function unreachable(baseUrl: string, err: unknown): CliError {
  const cause = (err as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
  };
  const reason = (code && reasons[code]) ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new CliError(`cannot reach the Mailroom server at ${baseUrl} (${reason}). Is it running? MAILROOM_URL sets where to find it.`);
}

/** An http(s) URL without a trailing slash; a path prefix (behind a reverse proxy) is kept. */
export function normalizeUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CliError(`${source} "${raw}" is not a URL. Use for example ${defaultUrl}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`${source} "${raw}" must start with http:// or https://.`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The server URL from MAILROOM_URL, else the default. */
export const serverUrlFromEnv = (env: NodeJS.ProcessEnv): string =>
  env.MAILROOM_URL ? normalizeUrl(env.MAILROOM_URL, 'MAILROOM_URL') : defaultUrl;

/**
 * Chooses the credentials for this invocation: MAILROOM_USER and MAILROOM_PASSWORD when both are
 * set, otherwise the token saved by `mailroom login`. Problems surface at the first request.
 */
export async function openApiClient(env: NodeJS.ProcessEnv): Promise<ApiClient> {
  if (env.MAILROOM_USER && env.MAILROOM_PASSWORD) {
    return new ApiClient(serverUrlFromEnv(env), { kind: 'password', address: env.MAILROOM_USER, password: env.MAILROOM_PASSWORD });
  }
  const saved = await loadCredentials(env);
  if (!saved) {
    const partial = env.MAILROOM_USER ? ' (MAILROOM_USER is set, MAILROOM_PASSWORD is not)' : env.MAILROOM_PASSWORD ? ' (MAILROOM_PASSWORD is set, MAILROOM_USER is not)' : '';
    return new ApiClient(serverUrlFromEnv(env), {
      kind: 'none',
      reason: `Not signed in${partial}. Run "mailroom login", or set MAILROOM_USER and MAILROOM_PASSWORD.`,
    });
  }
  const savedUrl = normalizeUrl(saved.url, 'The saved server URL');
  const url = env.MAILROOM_URL ? serverUrlFromEnv(env) : savedUrl;
  if (url !== savedUrl) {
    return new ApiClient(url, { kind: 'none', reason: `The saved sign-in is for ${savedUrl}, not ${url}. Run "mailroom login" to sign in to ${url}.` });
  }
  if (!(Date.parse(saved.expiresAt) > Date.now())) {
    return new ApiClient(url, { kind: 'none', reason: `The saved sign-in of ${saved.address} expired at ${saved.expiresAt}. ${loginHint}` });
  }
  return new ApiClient(url, { kind: 'saved-token', address: saved.address, token: saved.token });
}
