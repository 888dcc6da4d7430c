// The command registry: names to parsers, and parseCommand() for a complete command line. A
// parser checks the grammar only; which state a command is valid in, and what it does, is the
// server's (src/servers/imap/).
import { BadCommand } from '../arguments.js';
import type { CommandContext, ParseContext } from '../arguments.js';
import type { CommandLine, Token } from '../tokens.js';
import { parseGetAcl, parseSetAcl, parseDeleteAcl, parseListRights, parseMyRights } from './acl.js';
import type { DeleteAclCommand, GetAclCommand, ListRightsCommand, MyRightsCommand, SetAclCommand } from './acl.js';
import { parseAppend } from './append.js';
import type { AppendCommand } from './append.js';
import { parseAuthenticate } from './authenticate.js';
import type { AuthenticateCommand } from './authenticate.js';
import { parseCompress } from './compress.js';
import type { CompressCommand } from './compress.js';
import { parseCopy, parseMove } from './copy.js';
import type { CopyCommand } from './copy.js';
import { parseCreate } from './create.js';
import type { CreateCommand } from './create.js';
import { parseDelete } from './delete.js';
import type { DeleteCommand } from './delete.js';
import { parseEnable } from './enable.js';
import type { EnableCommand } from './enable.js';
import { parseExpunge } from './expunge.js';
import type { ExpungeCommand } from './expunge.js';
import { parseFetch } from './fetch.js';
import type { FetchCommand } from './fetch.js';
import { parseId } from './id.js';
import type { IdCommand } from './id.js';
import { parseList, parseLsub } from './list.js';
import type { ListCommand, LsubCommand } from './list.js';
import { parseLogin } from './login.js';
import type { LoginCommand } from './login.js';
import {
  parseCapability, parseCheck, parseClose, parseIdle, parseLogout, parseNamespace, parseNoop, parseStarttls, parseUnselect,
} from './no-argument.js';
import type { NoArgumentCommand } from './no-argument.js';
import { parseGetQuota, parseGetQuotaRoot, parseSetQuota } from './quota.js';
import type { GetQuotaCommand, GetQuotaRootCommand, SetQuotaCommand } from './quota.js';
import { parseRename } from './rename.js';
import type { RenameCommand } from './rename.js';
import { parseSearch } from './search.js';
import type { SearchCommand } from './search.js';
import { parseExamine, parseSelect } from './select.js';
import type { SelectCommand } from './select.js';
import { parseSort } from './sort.js';
import type { SortCommand } from './sort.js';
import { parseStatus } from './status.js';
import type { StatusCommand } from './status.js';
import { parseStore } from './store.js';
import type { StoreCommand } from './store.js';
import { parseSubscribe, parseUnsubscribe } from './subscribe.js';
import type { SubscribeCommand } from './subscribe.js';
import { parseThread } from './thread.js';
import type { ThreadCommand } from './thread.js';

export type ImapCommand =
  | NoArgumentCommand | AuthenticateCommand | LoginCommand | EnableCommand | IdCommand | CompressCommand
  | SelectCommand | CreateCommand | DeleteCommand | RenameCommand | SubscribeCommand | ListCommand | LsubCommand
  | StatusCommand | AppendCommand | ExpungeCommand | SearchCommand | SortCommand | ThreadCommand | FetchCommand
  | StoreCommand | CopyCommand | GetQuotaCommand | GetQuotaRootCommand | SetQuotaCommand | GetAclCommand
  | SetAclCommand | DeleteAclCommand | ListRightsCommand | MyRightsCommand;

export type CommandParser = (args: readonly Token[], context: CommandContext) => ImapCommand;

export interface CommandDescriptor {
  readonly name: string;
  /** The command may also be sent as `UID <name>` (RFC 3501 §6.4.8, RFC 4315, RFC 5256, RFC 6851). */
  readonly uid: boolean;
  readonly parse: CommandParser;
}

const descriptors: CommandDescriptor[] = [
  { name: 'CAPABILITY', uid: false, parse: parseCapability },
  { name: 'NOOP', uid: false, parse: parseNoop },
  { name: 'LOGOUT', uid: false, parse: parseLogout },
  { name: 'STARTTLS', uid: false, parse: parseStarttls },
  { name: 'AUTHENTICATE', uid: false, parse: parseAuthenticate },
  { name: 'LOGIN', uid: false, parse: parseLogin },
  { name: 'ENABLE', uid: false, parse: parseEnable },
  { name: 'ID', uid: false, parse: parseId },
  { name: 'COMPRESS', uid: false, parse: parseCompress },
  { name: 'SELECT', uid: false, parse: parseSelect },
  { name: 'EXAMINE', uid: false, parse: parseExamine },
  { name: 'CREATE', uid: false, parse: parseCreate },
  { name: 'DELETE', uid: false, parse: parseDelete },
  { name: 'RENAME', uid: false, parse: parseRename },
  { name: 'SUBSCRIBE', uid: false, parse: parseSubscribe },
  { name: 'UNSUBSCRIBE', uid: false, parse: parseUnsubscribe },
  { name: 'LIST', uid: false, parse: parseList },
  { name: 'LSUB', uid: false, parse: parseLsub },
  { name: 'NAMESPACE', uid: false, parse: parseNamespace },
  { name: 'STATUS', uid: false, parse: parseStatus },
  { name: 'APPEND', uid: false, parse: parseAppend },
  { name: 'CHECK', uid: false, parse: parseCheck },
  { name: 'CLOSE', uid: false, parse: parseClose },
  { name: 'UNSELECT', uid: false, parse: parseUnselect },
  { name: 'IDLE', uid: false, parse: parseIdle },
  { name: 'EXPUNGE', uid: true, parse: parseExpunge },
  { name: 'SEARCH', uid: true, parse: parseSearch },
  { name: 'SORT', uid: true, parse: parseSort },
  { name: 'THREAD', uid: true, parse: parseThread },
  { name: 'FETCH', uid: true, parse: parseFetch },
  { name: 'STORE', uid: true, parse: parseStore },
  { name: 'COPY', uid: true, parse: parseCopy },
  { name: 'MOVE', uid: true, parse: parseMove },
  { name: 'GETQUOTA', uid: false, parse: parseGetQuota },
  { name: 'GETQUOTAROOT', uid: false, parse: parseGetQuotaRoot },
  { name: 'SETQUOTA', uid: false, parse: parseSetQuota },
  { name: 'GETACL', uid: false, parse: parseGetAcl },
  { name: 'SETACL', uid: false, parse: parseSetAcl },
  { name: 'DELETEACL', uid: false, parse: parseDeleteAcl },
  { name: 'LISTRIGHTS', uid: false, parse: parseListRights },
  { name: 'MYRIGHTS', uid: false, parse: parseMyRights },
];

/** Every command the codec parses, by upper-cased name. */
export const COMMANDS: ReadonlyMap<string, CommandDescriptor> = new Map(descriptors.map((d) => [d.name, d]));

export type ParsedCommand =
  | { readonly ok: true; readonly tag: string; readonly command: ImapCommand }
  | {
    readonly ok: false;
    readonly tag: string;
    /** The command name as sent ("UID FETCH"), for logs. */
    readonly name: string;
    readonly status: 'BAD' | 'NO';
    readonly code: BadCommand['code'];
    readonly text: string;
  };

/** Parses a command from the reader; never throws. Answer a failure `<tag> <status> [<code>] <text>`. */
export function parseCommand(line: CommandLine, context: ParseContext): ParsedCommand {
  let name = line.name;
  let args = line.args;
  let uid = false;
  if (name === 'UID') {
    const sub = args[0];
    if (sub?.type !== 'atom' || sub.section !== undefined) {
      return { ok: false, tag: line.tag, name, status: 'BAD', code: null, text: 'UID must be followed by a command' };
    }
    name = sub.value.toUpperCase();
    args = args.slice(1);
    uid = true;
  }
  const shownName = uid ? `UID ${name}` : name;
  const descriptor = COMMANDS.get(name);
  if (descriptor === undefined || (uid && !descriptor.uid)) {
    return { ok: false, tag: line.tag, name: shownName, status: 'BAD', code: null, text: `Unknown command ${shownName.slice(0, 40)}` };
  }
  try {
    return { ok: true, tag: line.tag, command: descriptor.parse(args, { utf8: context.utf8, uid }) };
  } catch (error) {
    if (!(error instanceof BadCommand)) throw error;
    return { ok: false, tag: line.tag, name: shownName, status: error.status, code: error.code, text: error.message };
  }
}
