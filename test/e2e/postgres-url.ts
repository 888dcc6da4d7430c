import { userInfo } from 'node:os';

/**
 * The PostgreSQL the tests use (MAILROOM_TEST_DATABASE_URL, default the local server's `test`
 * database). Like psql and the server, connect as the operating-system user when neither the URL
 * nor the environment names one: the CI machine has no USER variable, and node-postgres would
 * otherwise send none (and be refused with 28000).
 */
export function testDatabaseUrl(): string {
  const url = new URL(process.env.MAILROOM_TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
  if (!url.username && !process.env.PGUSER && !process.env.USER) url.username = userInfo().username;
  return url.toString();
}
