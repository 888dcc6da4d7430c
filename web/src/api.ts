import type { Principal } from './types';

/** An RFC 9457 problem document from /api/v1; `detail` is the sentence the user sees. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  get status(): number { return this.problem.status; }

  /** True when the API named this form field as the cause. */
  isAbout(field: string): boolean {
    return this.problem.field === field || (this.problem.field ?? '').startsWith(`${field}.`);
  }
}

export const asApiError = (err: unknown): ApiError =>
  err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: 'Error', status: 0, detail: err instanceof Error ? err.message : String(err) });

// The token lives for this browser tab only (sessionStorage), never in a cookie.
const tokenKey = 'mailroom.admin.token';
const principalKey = 'mailroom.admin.principal';

export interface Session { token: string; principal: Principal }

export function loadSession(): Session | null {
  const token = sessionStorage.getItem(tokenKey);
  const principal = sessionStorage.getItem(principalKey);
  if (!token || !principal) return null;
  try {
    return { token, principal: JSON.parse(principal) as Principal };
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(tokenKey, session.token);
  sessionStorage.setItem(principalKey, JSON.stringify(session.principal));
}

export function clearSession(): void {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(principalKey);
}

type SessionEndedListener = (reason: ApiError) => void;
let sessionEnded: SessionEndedListener = () => undefined;
/** Called when the API stops accepting the token (expired, revoked, account blocked). */
export function onSessionEnded(listener: SessionEndedListener): void {
  sessionEnded = listener;
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body.detail === 'string') return { type: body.type ?? 'about:blank', title: body.title ?? res.statusText, status: res.status, detail: body.detail, ...(body.field ? { field: body.field } : {}) };
  } catch { /* not a problem document: a proxy's error page, say */ }
  return { type: 'about:blank', title: res.statusText, status: res.status, detail: `The server answered ${res.status} ${res.statusText}.` };
}

async function request<T>(method: string, path: string, body?: unknown, token?: string | null): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const bearer = token === undefined ? sessionStorage.getItem(tokenKey) : token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: "The server can't be reached. Check the connection and try again." });
  }
  if (!res.ok) {
    const error = new ApiError(await problemOf(res));
    const ended = res.status === 401 || error.problem.type.endsWith(':account-locked');
    if (ended && bearer && path !== '/auth/token') {
      clearSession();
      sessionEnded(error);
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: (path: string) => request<void>('DELETE', path),
  /** Sign-in is the one call made without a token. */
  signIn: (address: string, password: string) => request<{ token: string; expiresAt: string; principal: Principal }>('POST', '/auth/token', { address, password }, null),
  /** Checks what a fresh token may do before it is kept. */
  withToken: <T>(token: string, method: string, path: string) => request<T>(method, path, undefined, token),
};

/** A path segment: addresses may contain characters with a meaning in URLs. */
export const seg = (value: string): string => encodeURIComponent(value);

/** A query string from the values that are set. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]);
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}
