import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.js';

/** What `mailroom login` saves: a bearer token for one server, never the password. */
export interface SavedCredentials {
  url: string;
  address: string;
  token: string;
  expiresAt: string;
}

/** `$MAILROOM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/mailroom`, else `~/.config/mailroom`. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.MAILROOM_CONFIG_DIR) return env.MAILROOM_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mailroom');
}

export const credentialsPath = (env: NodeJS.ProcessEnv): string => join(configDir(env), 'credentials.json');

export async function loadCredentials(env: NodeJS.ProcessEnv): Promise<SavedCredentials | undefined> {
  const path = credentialsPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read the saved sign-in ${path} (${(err as Error).message}).`);
  }
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  if (!isSavedCredentials(parsed)) throw new CliError(`${path} is not a valid sign-in file. Run "mailroom login" to sign in again.`);
  return parsed;
}

function isSavedCredentials(value: unknown): value is SavedCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.url === 'string' && typeof v.address === 'string' && typeof v.token === 'string' && typeof v.expiresAt === 'string';
}

/** Writes the file readable by its owner only (0600), replacing any previous one atomically. */
export async function saveCredentials(env: NodeJS.ProcessEnv, credentials: SavedCredentials): Promise<string> {
  const dir = configDir(env);
  const path = credentialsPath(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw new CliError(`cannot save the sign-in to ${path} (${(err as Error).message}).`);
  }
  return path;
}

/** Returns false when there was nothing to delete. */
export async function deleteCredentials(env: NodeJS.ProcessEnv): Promise<boolean> {
  const path = credentialsPath(env);
  try {
    await rm(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CliError(`cannot delete the saved sign-in ${path} (${(err as Error).message}).`);
  }
}
