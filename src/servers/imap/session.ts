import type { Principal } from '../../directory/accounts.js';
import { findRecipient, isMailboxKind } from '../../directory/recipients.js';
import { mailboxAccessLevel } from '../../directory/grants.js';
import {
  commandErrorResponse, parseCommand, parseErrorResponse, tagged, untagged,
} from '../../protocol/imap/index.js';
import type { ImapCommand, ReaderEvent, Response } from '../../protocol/imap/index.js';
import { defaultFolders, ensureDefaultFolders, findFolder } from '../../store/mail/folders.js';
import type { ImapConnection } from './connection.js';
import { refuseAppendLiteral } from './commands/append.js';
import { handlerFor } from './commands/index.js';
import { LiteralSpool } from './literal-spool.js';
import { parseImapName, sharedName, type ResolvedFolder } from './mailbox-paths.js';
import { effectiveRights } from './folder-rights.js';
import type { SelectedFolder } from './selected-folder.js';
import type { CommandResult, ImapDeps, SessionState } from './types.js';

export interface SessionOptions {
  /** The connection is on loopback: LOGIN and AUTHENTICATE are allowed without TLS. */
  readonly loopback: boolean;
  readonly id: number;
}

/** The mailbox a session's personal namespace shows: the user's own, or a shared one (delegated login). */
export interface HomeMailbox {
  readonly id: string;
  readonly address: string;
  readonly delegated: boolean;
}

/**
 * One IMAP session: its state (RFC 3501 §3), who signed in, the selected folder and the enabled
 * extensions. Commands run one at a time, in the order received; each command's behaviour is in
 * commands/, keyed by name, with the states it is valid in.
 */
export class Session {
  state: SessionState = 'not-authenticated';
  principal: Principal | null = null;
  home: HomeMailbox | null = null;
  selected: SelectedFolder | null = null;
  /** RFC 5161 ENABLE: CONDSTORE, QRESYNC, UTF8=ACCEPT. */
  readonly enabled = new Set<string>();
  /** RFC 7162 §3.1: CONDSTORE is on once enabled or once a command used it. */
  condstore = false;
  readonly literals = new LiteralSpool();
  readonly log;
  private queue: ReaderEvent[] = [];
  private running = false;
  /** IDLE in progress: its tag, and how to end it. */
  idle: { tag: string; done: () => void } | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(readonly deps: ImapDeps, readonly connection: ImapConnection, readonly options: SessionOptions) {
    this.log = deps.logger.child({ imapSession: options.id, remote: connection.remoteAddress });
    connection.handle((events) => this.receive(events), () => this.closed());
  }

  get utf8(): boolean {
    return this.enabled.has('UTF8=ACCEPT');
  }

  get qresync(): boolean {
    return this.enabled.has('QRESYNC');
  }

  /** TLS is on, or the client is on loopback (RFC 3501 §6.2.3, RFC 8314 §3). */
  get mayAuthenticate(): boolean {
    return this.connection.isSecure || this.options.loopback;
  }

  start(): void {
    void this.send(untagged('OK', `${this.deps.hostname} Mailroom IMAP ready`, { code: 'CAPABILITY', capabilities: this.capabilities() }));
    this.touch();
  }

  /** RFC 3501 §6.1.1, RFC 9051 §6.1.1: what this session may use now. */
  capabilities(): string[] {
    const caps = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE'];
    if (this.state === 'not-authenticated') {
      if (this.deps.tls && !this.connection.isSecure) caps.push('STARTTLS');
      if (this.mayAuthenticate) caps.push('AUTH=PLAIN');
      else caps.push('LOGINDISABLED');
      return caps;
    }
    caps.push(
      'NAMESPACE', 'UNSELECT', 'UIDPLUS', 'MOVE', 'SPECIAL-USE', 'LIST-EXTENDED', 'LIST-STATUS', 'CHILDREN',
      'CONDSTORE', 'QRESYNC', 'ESEARCH', 'SORT', 'THREAD=REFERENCES', 'THREAD=ORDEREDSUBJECT',
      'ACL', 'RIGHTS=texk', 'QUOTA', 'QUOTA=RES-STORAGE', `APPENDLIMIT=${this.deps.maxMessageBytes}`,
      'UTF8=ACCEPT', 'MULTIAPPEND', 'BINARY', 'STATUS=SIZE', 'WITHIN',
    );
    if (!this.connection.isCompressed) caps.push('COMPRESS=DEFLATE');
    return caps;
  }

  send(response: Response): Promise<void> {
    return this.connection.send(response, this.utf8);
  }

  sendMany(responses: readonly Response[]): Promise<void> {
    return this.connection.sendMany(responses, this.utf8);
  }

  // ---- input ---------------------------------------------------------------------------------

  private receive(events: ReaderEvent[]): void {
    for (const event of events) {
      // A raw line answers a command that is running (AUTHENTICATE, IDLE): it goes to it directly,
      // not behind it in the queue. The reader pauses after it, so nothing else can follow yet.
      if (event.type === 'line' && this.lineWaiter) this.lineWaiter(event.text);
      else this.queue.push(event);
    }
    this.touch();
    void this.pump();
  }

  /** Feeds events the reader produced after a resume() or readLine(). */
  feed(events: ReaderEvent[]): void {
    if (events.length > 0) this.receive(events);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.connection.isClosed) {
        const event = this.queue.shift()!;
        await this.handleEvent(event);
      }
    } catch (error) {
      this.log.error({ err: error }, 'IMAP session failed');
      await this.send(untagged('BYE', 'Internal server error')).catch(() => undefined);
      this.connection.close();
    } finally {
      this.running = false;
    }
  }

  private async handleEvent(event: ReaderEvent): Promise<void> {
    switch (event.type) {
      case 'command': {
        const parsed = parseCommand(event.command, { utf8: this.utf8 });
        if (!parsed.ok) {
          await this.send(parseErrorResponse(parsed));
          return;
        }
        await this.execute(parsed.tag, parsed.command);
        return;
      }
      case 'continuation': {
        // RFC 3501 §7.5 / RFC 7888: a synchronizing literal waits for "+". APPEND checks its target first.
        const refusal = event.name === 'APPEND' ? await this.refuseAppend(event) : null;
        if (refusal) {
          await this.send(tagged(event.tag, refusal.status, refusal.text, refusal.code));
          this.feed(this.connection.reader.rejectLiteral());
          return;
        }
        await this.send({ type: 'continuation', text: 'Ready for literal data' });
        this.feed(this.connection.reader.acceptLiteral());
        return;
      }
      case 'literal-start': this.literals.start(event.id, event.size); return;
      case 'literal-data': await this.literals.write(event.id, event.chunk); return;
      case 'literal-end': await this.literals.end(event.id); return;
      case 'line':
        this.lineWaiter?.(event.text);
        return;
      case 'error':
        await this.send(commandErrorResponse(event.error));
        if (event.error.fatal) {
          await this.send(untagged('BYE', event.error.text));
          await this.connection.end();
        }
    }
  }

  private lineWaiter: ((line: string) => void) | null = null;

  /** Reads the next raw line (an AUTHENTICATE response, IDLE's DONE). */
  readLine(): Promise<string> {
    return new Promise((resolve) => {
      this.lineWaiter = (line) => {
        this.lineWaiter = null;
        resolve(line);
      };
      this.feed(this.connection.reader.readLine());
    });
  }

  /** Set by APPEND: decides before the literal comes whether to take it. */
  refuseAppend: (event: Extract<ReaderEvent, { type: 'continuation' }>) => Promise<CommandResult | null> = (event) => refuseAppendLiteral(this, event);

  private async execute(tag: string, command: ImapCommand): Promise<void> {
    const handler = handlerFor(command.name);
    const uidForm = 'uid' in command && command.uid === true;
    const label = uidForm ? `UID ${command.name}` : command.name;
    if (!handler) {
      await this.send(tagged(tag, 'BAD', `${label} is not supported`));
      return;
    }
    if (!handler.states.includes(this.state)) {
      await this.send(tagged(tag, 'BAD', `${label} is not allowed ${stateText(this.state)}`));
      return;
    }
    let result: CommandResult;
    try {
      result = await handler.run(this, command, tag);
    } catch (error) {
      this.log.error({ err: error, command: label }, 'IMAP command failed');
      result = { status: 'NO', code: { code: 'SERVERBUG' }, text: `${label} failed; the error is in the server log` };
    }
    if (this.connection.isClosed || this.state === 'logout') return;
    const holds = handler.holdsExpunges?.(command) ?? false;
    await this.reportChanges(!holds);
    await this.send(tagged(tag, result.status, result.text, result.code));
    await this.afterCommand?.();
    this.afterCommand = null;
  }

  /** Work to do once the tagged response is out (STARTTLS, COMPRESS). */
  afterCommand: (() => Promise<void>) | null = null;

  /** Sends what changed in the selected folder since the last report (RFC 3501 §5.2). */
  async reportChanges(allowExpunge = true): Promise<void> {
    if (!this.selected?.hasPending) return;
    const responses = await this.selected.pendingResponses(this.deps, { allowExpunge, qresync: this.qresync, condstore: this.condstore });
    if (responses.length > 0) await this.sendMany(responses);
  }

  // ---- names and rights ----------------------------------------------------------------------

  /**
   * A mailbox name resolved to a folder the session may see, or null: missing and forbidden
   * look the same (NO [NONEXISTENT]), so existence is never revealed. Access is evaluated now,
   * so a removed grant applies to the next command.
   */
  async resolve(name: string): Promise<ResolvedFolder | null> {
    const home = this.home;
    const principal = this.principal;
    if (!home || !principal) return null;
    const parsed = parseImapName(name);
    if (parsed.kind === 'personal') {
      const level = home.delegated ? await mailboxAccessLevel(this.deps.db, principal.id, home.id) : 'owner';
      if (level === null) return null;
      return { mailboxId: home.id, mailboxAddress: home.address, folderName: parsed.folder, imapName: parsed.folder, level, delegated: home.delegated };
    }
    if (parsed.kind !== 'shared') return null;
    const mailbox = await findRecipient(this.deps.db, parsed.address);
    if (!mailbox || !isMailboxKind(mailbox.kind)) return null;
    const level = await mailboxAccessLevel(this.deps.db, principal.id, mailbox.id);
    if (level === null) return null;
    return {
      mailboxId: mailbox.id,
      mailboxAddress: mailbox.primaryAddress,
      folderName: parsed.folder,
      imapName: sharedName(mailbox.primaryAddress, parsed.folder),
      level,
      delegated: mailbox.id !== principal.id,
    };
  }

  /** resolve() plus the folder row and the session's rights on it; null when either is missing. */
  async openFolder(name: string) {
    const resolved = await this.resolve(name);
    if (!resolved) return null;
    let folder = await findFolder(this.deps.db, resolved.mailboxId, resolved.folderName);
    if (!folder && defaultFolders.some((f) => f.name === resolved.folderName)) {
      // A mailbox never opened before gets its default folders now (another session may be
      // creating them this very moment: ensureDefaultFolders is safe under concurrency).
      await ensureDefaultFolders(this.deps.db, resolved.mailboxId);
      folder = await findFolder(this.deps.db, resolved.mailboxId, resolved.folderName);
    }
    if (!folder) return null;
    const rights = await effectiveRights(this, resolved, folder.id);
    if (!rights.includes('l') && !rights.includes('r')) return null;
    return { resolved, folder, rights };
  }

  /** Whether a name is one of the \Noselect nodes of the shared namespace this session may see. */
  async isVisibleNode(name: string): Promise<boolean> {
    const parsed = parseImapName(name);
    if (parsed.kind === 'shared-root') return this.principal !== null && this.home?.delegated === false;
    if (parsed.kind !== 'shared-mailbox' || !this.principal) return false;
    const mailbox = await findRecipient(this.deps.db, parsed.address);
    return !!mailbox && isMailboxKind(mailbox.kind) && (await mailboxAccessLevel(this.deps.db, this.principal.id, mailbox.id)) !== null;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  deselect(): void {
    this.selected?.close();
    this.selected = null;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  /** RFC 3501 §5.4: an idle client may be logged out after at least 30 minutes. */
  private touch(): void {
    const seconds = this.deps.idleTimeoutSeconds ?? 30 * 60;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      void this.send(untagged('BYE', 'Idle for too long')).finally(() => void this.connection.end());
    }, seconds * 1000).unref();
  }

  /** RFC 3501 §7.1.5: the server is going away. */
  async shutdown(): Promise<void> {
    if (this.connection.isClosed) return;
    await this.send(untagged('BYE', 'Mailroom is shutting down')).catch(() => undefined);
    await this.connection.end();
    this.connection.close();
  }

  private closed(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idle?.done();
    this.deselect();
    this.literals.discardAll();
    this.state = 'logout';
  }
}

function stateText(state: SessionState): string {
  switch (state) {
    case 'not-authenticated': return 'before authentication';
    case 'authenticated': return 'without a selected mailbox';
    case 'selected': return 'with a mailbox selected';
    default: return 'now';
  }
}
