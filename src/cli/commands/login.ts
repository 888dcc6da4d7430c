import type { Command } from 'commander';
import type { Principal } from '../../directory/accounts.js';
import { ApiClient, normalizeUrl, serverUrlFromEnv } from '../api-client.js';
import { credentialsPath, deleteCredentials, loadCredentials, saveCredentials, type SavedCredentials } from '../credentials.js';
import { ApiError, CliError } from '../errors.js';
import type { CliIo } from '../output.js';
import { canPrompt, promptLine, promptSecret } from '../prompt.js';
import { kindText, rolesText } from '../render.js';
import type { CliRuntime } from '../runtime.js';

const noPrompt = '(standard input is not a terminal, so there is no prompt)';

async function signInAddress(io: CliIo, given: string | undefined): Promise<string> {
  const address = given ?? io.env.MAILROOM_USER ?? (canPrompt(io) ? await promptLine(io, 'Address: ') : undefined);
  if (address === undefined) throw new CliError(`Give the address with --user or MAILROOM_USER ${noPrompt}.`);
  if (address.trim() === '') throw new CliError('An address is required to sign in.');
  return address.trim();
}

async function signInPassword(io: CliIo, given: string | undefined, address: string): Promise<string> {
  if (given !== undefined) return given;
  // MAILROOM_PASSWORD belongs to MAILROOM_USER: never send it along with another address.
  const fromEnv = io.env.MAILROOM_PASSWORD && io.env.MAILROOM_USER?.toLowerCase() === address.toLowerCase() ? io.env.MAILROOM_PASSWORD : undefined;
  if (fromEnv !== undefined) return fromEnv;
  if (!canPrompt(io)) throw new CliError(`Give the password with --password, or MAILROOM_PASSWORD together with MAILROOM_USER ${noPrompt}.`);
  return promptSecret(io, `Password for ${address}: `);
}

/** Revokes a token on its server; false when that could not be done (it then expires on its own). */
async function revoke(saved: SavedCredentials): Promise<{ revoked: boolean; problem?: string }> {
  try {
    await new ApiClient(normalizeUrl(saved.url, 'The saved server URL'), { kind: 'saved-token', address: saved.address, token: saved.token }).delete('/auth/token');
    return { revoked: true };
  } catch (err) {
    // 401: the token is already expired or revoked, which is what logging out wants.
    if (err instanceof ApiError && err.status === 401) return { revoked: true };
    return { revoked: false, problem: err instanceof Error ? err.message : String(err) };
  }
}

export function registerSessionCommands(program: Command, runtime: CliRuntime): void {
  const { io } = runtime;

  program.command('login').description('sign in to the server at MAILROOM_URL and save the session for later commands (file mode 0600)')
    .option('--user <address>', 'address to sign in with (default MAILROOM_USER, else prompted)')
    .option('--password <pw>', 'password (default MAILROOM_PASSWORD, else prompted without echo)')
    .action(async (options: { user?: string; password?: string }, command: Command) => {
      const out = runtime.output(command);
      const url = serverUrlFromEnv(io.env);
      const address = await signInAddress(io, options.user);
      const password = await signInPassword(io, options.password, address);
      const previous = await loadCredentials(io.env).catch(() => undefined);
      const result = await new ApiClient(url, { kind: 'none', reason: '' }).signIn(address, password);
      const saved: SavedCredentials = { url, address: result.principal.address, token: result.token, expiresAt: result.expiresAt };
      const path = await saveCredentials(io.env, saved);
      if (previous && previous.token !== saved.token) await revoke(previous);
      out.result({ url, address: saved.address, expiresAt: saved.expiresAt, principal: result.principal, credentialsFile: path }, () =>
        out.line(`Signed in to ${url} as ${result.principal.displayName} <${saved.address}> until ${saved.expiresAt}.`));
    });

  program.command('logout').description('revoke the saved session on the server and delete it')
    .action(async (_options: object, command: Command) => {
      const out = runtime.output(command);
      let saved: SavedCredentials | undefined;
      try {
        saved = await loadCredentials(io.env);
      } catch {
        await deleteCredentials(io.env);
        out.result({ signedOut: true, revoked: false }, () => out.line(`Deleted the unreadable sign-in file ${credentialsPath(io.env)}.`));
        return;
      }
      if (!saved) {
        out.result({ signedOut: false }, () => out.line('Not signed in.'));
        return;
      }
      const { revoked, problem } = await revoke(saved);
      await deleteCredentials(io.env);
      if (problem) out.warn(`mailroom: the session could not be revoked on the server (${problem}); it stays valid until ${saved.expiresAt}.`);
      out.result({ signedOut: true, revoked, url: saved.url, address: saved.address }, () => out.line(`Signed out ${saved.address} from ${saved.url}.`));
    });

  program.command('whoami').description('show who the commands run as, and with which roles')
    .action(async (_options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const me = await api.get<Principal>('/me');
      out.result(me, () => out.keyValues([
        ['Server', api.baseUrl],
        ['Address', me.address],
        ['Display name', me.displayName],
        ['Type', kindText(me.kind)],
        ['Roles', rolesText(me.roles)],
      ]));
    }));
}
