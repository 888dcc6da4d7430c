import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandAvailable } from './system-tools.js';

/**
 * Debian's Thunderbird as a real IMAP client: a fresh profile made of a user.js (one IMAP account)
 * and a password stored in the profile's own login manager, run in a real window on Xvfb and driven
 * through Marionette (Mozilla's remote protocol, built into Thunderbird) to read its folder pane.
 */

export const thunderbirdPath = process.env.MAILROOM_THUNDERBIRD ?? '/usr/bin/thunderbird';

/** The reason the Thunderbird test skips, or false when it can run. */
export const thunderbirdSkipReason: string | false = !existsSync(thunderbirdPath)
  ? `${thunderbirdPath} is missing: install Debian's thunderbird (apt-get install -y thunderbird xvfb) to run the Thunderbird test`
  : !commandAvailable('Xvfb')
    ? 'Xvfb is missing: install Debian\'s xvfb (apt-get install -y xvfb) to run the Thunderbird test'
    : false;

export interface ImapAccount {
  readonly address: string;
  readonly displayName: string;
  readonly imapPort: number;
}

/**
 * The profile's user.js: ONE IMAP account on 127.0.0.1 (plain connection, as loopback allows,
 * password sent in clear after AUTHENTICATE PLAIN), Local Folders, and Thunderbird's first-run
 * dialogs and background connections switched off.
 */
export function writeUserJs(profileDir: string, account: ImapAccount): void {
  const prefs: Record<string, string | number | boolean> = {
    // Marionette on a port of its own choosing, written to <profile>/MarionetteActivePort.
    'marionette.port': 0,
    'mail.accountmanager.accounts': 'account1,account2',
    'mail.accountmanager.defaultaccount': 'account1',
    'mail.accountmanager.localfoldersserver': 'server2',
    'mail.account.account1.identities': 'id1',
    'mail.account.account1.server': 'server1',
    'mail.identity.id1.fullName': account.displayName,
    'mail.identity.id1.useremail': account.address,
    'mail.identity.id1.valid': true,
    'mail.server.server1.type': 'imap',
    'mail.server.server1.hostname': '127.0.0.1',
    'mail.server.server1.port': account.imapPort,
    'mail.server.server1.userName': account.address,
    'mail.server.server1.name': account.address,
    'mail.server.server1.socketType': 0, // plain (no TLS, no STARTTLS)
    'mail.server.server1.authMethod': 3, // password, sent in clear
    // Thunderbird connects when the test presses Get Messages (getMessages()), not at startup: an alert
    // raised while it starts (a NO it reports) would otherwise hold up Marionette's new session.
    'mail.server.server1.login_at_startup': false,
    'mail.server.server1.check_new_mail': false,
    'mail.server.server1.using_subscription': true, // Thunderbird's default: only subscribed folders show
    'mail.server.server1.autosync_offline_stores': false,
    'mail.account.account2.server': 'server2',
    'mail.server.server2.type': 'none',
    'mail.server.server2.hostname': 'Local Folders',
    'mail.server.server2.userName': 'nobody',
    'mail.server.server2.name': 'Local Folders',
    'mail.shell.checkDefaultClient': false,
    'mail.provider.suppress_dialog_on_startup': true,
    'mail.rights.version': 1,
    'mail.inappnotifications.enabled': false,
    'mailnews.start_page.enabled': false,
    'mail.spellcheck.inline': false,
    'app.update.enabled': false,
    'app.update.auto': false,
    'extensions.update.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'browser.shell.checkDefaultBrowser': false,
  };
  const lines = Object.entries(prefs).map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  writeFileSync(join(profileDir, 'user.js'), `${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------- Marionette

/** A minimal Marionette client (protocol 3: `length:JSON` packets, [0, id, name, params] → [1, id, error, result]). */
export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private hello: ((packet: unknown) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('Marionette connection closed'));
      this.pending.clear();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<Marionette> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new Marionette(socket);
    const greeted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      client.hello = () => { clearTimeout(timer); resolve(true); };
    });
    if (!greeted) {
      client.close();
      throw new Error('Marionette did not greet');
    }
    await client.send('WebDriver:NewSession', { capabilities: { unhandledPromptBehavior: 'dismiss and notify' } });
    // Chrome context: scripts run in Thunderbird's own window, with its services.
    await client.send('Marionette:SetContext', { value: 'chrome' });
    return client;
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString()) as unknown;
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (Array.isArray(packet) && packet[0] === 1) {
        const waiter = this.pending.get(packet[1] as number);
        this.pending.delete(packet[1] as number);
        const error = packet[2] as { error?: string; data?: { text?: string } } | null;
        if (error) {
          waiter?.reject(Object.assign(new Error(`Marionette: ${JSON.stringify(error).slice(0, 2000)}`),
            error.error === 'unexpected alert open' ? { alert: error.data?.text ?? '' } : {}));
        }
        else waiter?.resolve(packet[3]);
      } else {
        this.hello?.(packet);
        this.hello = null;
      }
    }
  }

  /**
   * The texts of the modal alerts Thunderbird showed (an IMAP NO it reports to the user, for example).
   * Marionette dismisses such an alert and fails the command that met it; send() records the text and
   * sends the command again, so a test can go on and then assert on what the user would have seen.
   */
  readonly alerts: string[] = [];

  async send(name: string, params: Record<string, unknown> = {}): Promise<any> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce(name, params);
      } catch (error) {
        const alert = (error as { alert?: string }).alert;
        if (alert === undefined || attempt >= 5) throw error;
        this.alerts.push(alert);
      }
    }
  }

  private sendOnce(name: string, params: Record<string, unknown>, timeoutMs = 20_000): Promise<any> {
    const id = ++this.nextId;
    const body = JSON.stringify([0, id, name, params]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`Marionette: ${name} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => { clearTimeout(timer); resolve(value); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
      this.socket.write(`${Buffer.byteLength(body)}:${body}`);
    });
  }

  /** Runs `script` (a function body; may return a promise) in Thunderbird's chrome and returns its value. */
  async run<T>(script: string, ...args: unknown[]): Promise<T> {
    const result = await this.send('WebDriver:ExecuteScript', { script, args });
    return result.value as T;
  }

  /** A PNG of Thunderbird's main window, as it is drawn on the Xvfb screen. */
  async screenshot(): Promise<Buffer> {
    const result = await this.send('WebDriver:TakeScreenshot', {});
    return Buffer.from(result.value as string, 'base64');
  }

  close(): void {
    this.socket.destroy();
  }
}

// ---------------------------------------------------------------- the running program

export interface RunningThunderbird {
  readonly marionette: Marionette;
  /** Thunderbird's own IMAP protocol log (MOZ_LOG), everything it sent and received. */
  imapLog(): string;
  /** What Thunderbird printed (for failure messages). */
  output(): string;
  /** Quits through Marionette, then ends the process groups of Thunderbird and Xvfb, whatever happened. */
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => { clearTimeout(timer); resolve(true); });
  });
}

/** Every process group started here, ended by stopAllThunderbirds() (and when this process exits) whatever state a test left. */
const started = new Set<ChildProcess>();
process.once('exit', () => { for (const child of started) killGroup(child, 'SIGKILL'); });

export async function stopAllThunderbirds(): Promise<void> {
  for (const child of started) {
    killGroup(child, 'SIGTERM');
    if (!(await waitForExit(child, 3_000))) killGroup(child, 'SIGKILL');
    started.delete(child);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // An exited leader's group id may be reused by an unrelated process: never signal it.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

/** Starts Xvfb on a display it picks itself (-displayfd), in a process group of its own. */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  started.add(xvfb);
  let errors = '';
  xvfb.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display in 10 s:\n${errors}`)), 10_000);
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) { clearTimeout(timer); resolve(`:${text.trim()}`); }
    });
    xvfb.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited with ${code}:\n${errors}`)); });
  });
  return { display, process: xvfb };
}

/** Runs Thunderbird on `profileDir` in a real window on a fresh Xvfb screen, with Marionette on. */
export async function launchThunderbird(profileDir: string, timeoutMs = 30_000): Promise<RunningThunderbird> {
  const portFile = join(profileDir, 'MarionetteActivePort');
  rmSync(portFile, { force: true });
  const logFile = join(profileDir, 'imap-protocol.log');
  const xvfb = await startXvfb();
  const child = spawn(thunderbirdPath, ['--profile', profileDir, '--no-remote', '--marionette', '-remote-allow-system-access'], {
    detached: true, // its own process group: stop() ends it and every content process it started
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DISPLAY: xvfb.display,
      MOZ_LOG: 'timestamp,sync,IMAP:3',
      MOZ_LOG_FILE: logFile,
      MOZ_CRASHREPORTER_DISABLE: '1',
      MOZ_DISABLE_AUTO_SAFE_MODE: '1',
    },
  });
  started.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });

  const stopProcesses = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    if (!(await waitForExit(child, 5_000))) killGroup(child, 'SIGKILL');
    await waitForExit(child, 5_000);
    killGroup(xvfb.process, 'SIGTERM');
    if (!(await waitForExit(xvfb.process, 3_000))) killGroup(xvfb.process, 'SIGKILL');
  };

  let marionette: Marionette | null = null;
  try {
    const deadline = Date.now() + timeoutMs;
    while (!marionette) {
      if (child.exitCode !== null) throw new Error(`thunderbird exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`Thunderbird's Marionette did not answer in ${timeoutMs} ms:\n${output}`);
      const port = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8').trim()) : 0;
      if (port > 0) {
        try { marionette = await Marionette.connect(port); } catch { /* not listening yet */ }
      }
      if (!marionette) await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stopProcesses();
    throw error;
  }
  const connected = marionette;

  return {
    marionette: connected,
    // Gecko names the file it writes <MOZ_LOG_FILE>.moz_log.
    imapLog: () => [logFile, `${logFile}.moz_log`].filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8')).join(''),
    output: () => output,
    async stop() {
      // A clean quit first, so the profile's files (folderTree.json, the .msf summaries) are written out.
      await Promise.race([
        connected.send('Marionette:Quit', { flags: ['eAttemptQuit'] }).catch(() => undefined),
        new Promise((r) => setTimeout(r, 5_000)),
      ]);
      connected.close();
      await waitForExit(child, 5_000);
      await stopProcesses();
    },
  };
}

/**
 * Stores the password in the profile's login manager the way Thunderbird's own password prompt does
 * ("Use Password Manager to remember this password"): a run of Thunderbird with the account's
 * connections off, one addLoginAsync, and a clean quit. After it, the profile signs in by itself.
 */
export async function storePassword(profileDir: string, account: ImapAccount, password: string): Promise<void> {
  writeUserJs(profileDir, account);
  const thunderbird = await launchThunderbird(profileDir);
  try {
    const stored = await thunderbird.marionette.run<string[]>(`
      const [user, password] = arguments;
      const login = Cc["@mozilla.org/login-manager/loginInfo;1"].createInstance(Ci.nsILoginInfo);
      login.init("imap://127.0.0.1", null, "imap://127.0.0.1", user, password, "", "");
      return Services.logins.addLoginAsync(login)
        .then(() => Services.logins.getAllLogins())
        .then((logins) => logins.map((l) => l.origin + " " + l.username));`, account.address, password);
    if (!stored.includes(`imap://127.0.0.1 ${account.address}`)) throw new Error(`the login was not stored: ${stored.join(', ')}`);
  } finally {
    await thunderbird.stop();
  }
}

/** A fresh profile directory for one IMAP account whose password Thunderbird already knows. */
export async function makeProfile(account: ImapAccount, password: string): Promise<string> {
  const profileDir = mkdtempSync(join(tmpdir(), 'mailroom-thunderbird-'));
  await storePassword(profileDir, account, password);
  return profileDir;
}

/** Presses Get Messages in the main window, as a user does: Thunderbird signs in and discovers the folders. */
export const getMessagesScript = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.goDoCommand("cmd_getNewMessages");`;

/** One row of Thunderbird's folder pane: the folder's URI and the name shown. */
export interface FolderPaneRow {
  readonly uri: string | null;
  readonly name: string;
}

/** The rows of the folder pane of the main window, as drawn (about:3pane's #folderTree). */
export const folderPaneScript = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  const about3Pane = win?.gTabmail?.currentAbout3Pane;
  if (!about3Pane?.document) return [];
  return [...about3Pane.document.querySelectorAll("#folderTree li")]
    .map((li) => ({ uri: li.uri ?? null, name: li.querySelector(".name")?.textContent ?? "" }));`;
