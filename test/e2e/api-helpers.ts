import assert from 'node:assert/strict';
import type { TestServer } from './harness.js';

/** Shared helpers of the api-*.test.ts files: callers, problem assertions, and "refused and nothing changed". */

export type ApiResponse = Awaited<ReturnType<TestServer['api']>>;
export type Api = (method: string, path: string, body?: unknown) => Promise<ApiResponse>;

export const messages = {
  permissionDenied: 'You do not have permission to access this page or perform this action.',
  accountLocked: 'Your account has been locked. Contact your support person to unlock it, then try again.',
  badCredentials: 'Your account or password is incorrect.',
  signInRequired: 'Sign in to continue.',
  unknownRecipient: (name: string) => `The recipient "${name}" wasn't found in your organization.`,
} as const;

/** Problem type slug → RFC 9457 title, as the API documents them. */
const titles = {
  'invalid-input': 'Invalid input',
  unauthenticated: 'Sign-in required',
  'account-locked': 'Account locked',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'address-in-use': 'Address already in use',
  'outside-organization': 'Outside the organization',
  'no-route': 'Not found',
} as const;

export type ProblemType = keyof typeof titles;

export interface ExpectedProblem {
  status: number;
  type: ProblemType;
  detail: string;
}

/** Asserts an RFC 9457 problem document with the exact user-facing detail. */
export function assertProblem(res: ApiResponse, expected: ExpectedProblem): void {
  assert.equal(res.status, expected.status, `expected ${expected.status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/);
  assert.equal(res.body.type, `urn:mailroom:problem:${expected.type}`);
  assert.equal(res.body.title, titles[expected.type]);
  assert.equal(res.body.status, expected.status);
  assert.equal(res.body.detail, expected.detail);
}

export function assertStatus(res: ApiResponse, status: number): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Calls the API with a bearer token (faster than Basic, which verifies the password on every call). */
export function withToken(server: TestServer, token: string): Api {
  return (method, path, body) => server.api(method, path, body, { token });
}

export function withPassword(server: TestServer, user: string, password: string): Api {
  return (method, path, body) => server.api(method, path, body, { user, password });
}

export async function signIn(server: TestServer, address: string, password: string): Promise<string> {
  const res = await server.api('POST', '/auth/token', { address, password }, null);
  assertStatus(res, 201);
  return res.body.token as string;
}

/** The first administrator, through a bearer token. */
export async function adminApi(server: TestServer): Promise<Api> {
  return withToken(server, await signIn(server, server.adminAddress, server.adminPassword));
}

export async function createUser(admin: Api, address: string, displayName: string, password: string, roles: string[] = []): Promise<any> {
  const res = await admin('POST', '/users', { address, displayName, password, ...(roles.length > 0 ? { roles } : {}) });
  assertStatus(res, 201);
  return res.body;
}

/** The whole audit log, newest first. Reading it records nothing. */
export async function auditLog(admin: Api): Promise<any[]> {
  const res = await admin('GET', '/audit?limit=10000');
  assertStatus(res, 200);
  return res.body as any[];
}

/**
 * Runs a call that must be refused: asserts the problem document, that every read-back
 * path answers exactly as before, and that the audit log got no entry.
 */
export async function assertRefused(admin: Api, call: () => Promise<ApiResponse>, expected: ExpectedProblem, readBack: readonly string[] = []): Promise<ApiResponse> {
  const read = () => Promise.all(readBack.map(async (path) => {
    const res = await admin('GET', path);
    return { path, status: res.status, body: res.body as unknown };
  }));
  const before = await read();
  const auditBefore = await auditLog(admin);
  const res = await call();
  assertProblem(res, expected);
  assert.deepEqual(await read(), before, 'a refused change must leave the data as it was');
  assert.deepEqual(await auditLog(admin), auditBefore, 'a refused change must leave no audit entry');
  return res;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const encode = encodeURIComponent;
