// The response serializer: every byte the IMAP server writes is produced here, from response data
// (RFC 3501 §7 and the extensions' response sections). Strings are written as atoms, quoted strings
// or literals by wire.ts's rules; FETCH body data may stream (see writeResponse()).
import { Buffer } from 'node:buffer';
import type { CommandError } from './command-reader.js';
import type { ParsedCommand } from './commands/index.js';
import { writeFetch } from './fetch-response.js';
import { encodeMailboxName } from './mailbox-name.js';
import { ResponseBuilder } from './response-builder.js';
import type { ResponsePart } from './response-builder.js';
import type {
  DataResponse, NamespaceEntry, Response, ResponseCode, SerializeOptions, StatusCondition, StatusResponse, ThreadNode,
} from './response-types.js';
import { formatNumberSet } from './sequence-set.js';
import { astringOut, nstringOut, stringOut, textOut } from './wire.js';

export type { ResponsePart } from './response-builder.js';

/** A tagged OK/NO/BAD. */
export function tagged(tag: string, status: 'OK' | 'NO' | 'BAD', text: string, code?: ResponseCode): StatusResponse {
  return code === undefined ? { type: 'status', tag, status, text } : { type: 'status', tag, status, text, code };
}

/** An untagged status response (`* OK [UIDVALIDITY 3857529045] UIDs valid`, `* BYE …`). */
export function untagged(status: StatusCondition, text: string, code?: ResponseCode): StatusResponse {
  return code === undefined ? { type: 'status', tag: null, status, text } : { type: 'status', tag: null, status, text, code };
}

/** The answer to a reader error: `<tag> BAD [TOOBIG] …`, or untagged when the tag is unknown. */
export function commandErrorResponse(error: CommandError): StatusResponse {
  const code: ResponseCode | undefined = error.code === null ? undefined : { code: error.code };
  if (error.fatal) return untagged('BYE', error.text, code);
  return error.tag === null ? untagged(error.status === 'NO' ? 'NO' : 'BAD', error.text, code) : tagged(error.tag, error.status, error.text, code);
}

/** The answer to a command parseCommand() refused. */
export function parseErrorResponse(parsed: Extract<ParsedCommand, { ok: false }>, charsets: readonly string[] = ['UTF-8', 'US-ASCII']): StatusResponse {
  const code: ResponseCode | undefined = parsed.code === null ? undefined
    : parsed.code === 'BADCHARSET' ? { code: 'BADCHARSET', charsets } : { code: parsed.code };
  return tagged(parsed.tag, parsed.status, parsed.text, code);
}

function codeText(code: ResponseCode): string {
  switch (code.code) {
    case 'BADCHARSET': return code.charsets.length === 0 ? 'BADCHARSET' : `BADCHARSET (${code.charsets.map((c) => astringOut(c)).join(' ')})`;
    case 'CAPABILITY': return `CAPABILITY ${code.capabilities.join(' ')}`;
    case 'PERMANENTFLAGS': return `PERMANENTFLAGS (${code.flags.join(' ')})`;
    case 'UIDNEXT':
    case 'UIDVALIDITY':
    case 'UNSEEN':
    case 'HIGHESTMODSEQ':
      return `${code.code} ${code.value}`;
    case 'APPENDUID': return `APPENDUID ${code.uidValidity} ${formatNumberSet(code.uids, false)}`;
    case 'COPYUID':
      return `COPYUID ${code.uidValidity} ${formatNumberSet(code.sourceUids, false)} ${formatNumberSet(code.destinationUids, false)}`;
    case 'MODIFIED': return `MODIFIED ${formatNumberSet(code.numbers)}`;
    default: return code.code;
  }
}

function statusText(r: StatusResponse): string {
  const code = r.code === undefined ? '' : `[${codeText(r.code)}]`;
  const text = textOut(r.text);
  return `${r.tag ?? '*'} ${r.status}${code === '' ? '' : ` ${code}`}${text === '' ? '' : ` ${text}`}`;
}

function namespaceList(entries: readonly NamespaceEntry[] | null, utf8: boolean): string {
  if (entries === null || entries.length === 0) return 'NIL';
  return `(${entries.map((e) => `(${stringOut(encodeMailboxName(e.prefix, utf8), utf8)} ${nstringOut(e.delimiter)})`).join('')})`;
}

// RFC 5256 §4: a node's single child continues its list; several children are nested lists.
function threadMembers(node: ThreadNode): string {
  const head = node.id === null ? '' : String(node.id);
  if (node.children.length === 0) return head;
  if (node.children.length === 1 && node.id !== null) return `${head} ${threadMembers(node.children[0]!)}`;
  const nested = node.children.map((c) => `(${threadMembers(c)})`).join('');
  return head === '' ? nested : `${head} ${nested}`;
}

function writeData(out: ResponseBuilder, r: DataResponse, utf8: boolean): void {
  const mailbox = (name: string): string => astringOut(encodeMailboxName(name, utf8), utf8);
  switch (r.type) {
    case 'CAPABILITY':
    case 'ENABLED':
      out.append([r.type, ...r.capabilities].join(' '));
      return;
    case 'LIST':
    case 'LSUB': {
      out.append(`${r.type} (${r.attributes.join(' ')}) ${nstringOut(r.delimiter)} ${mailbox(r.mailbox)}`);
      const extended: string[] = [];
      if (r.childInfo !== undefined && r.childInfo.length > 0) extended.push(`"CHILDINFO" (${r.childInfo.map((c) => stringOut(c)).join(' ')})`);
      if (r.oldName !== undefined) extended.push(`"OLDNAME" (${mailbox(r.oldName)})`);
      if (extended.length > 0) out.append(` (${extended.join(' ')})`);
      return;
    }
    case 'STATUS':
      out.append(`STATUS ${mailbox(r.mailbox)} (${Object.entries(r.items).map(([k, v]) => `${k} ${v}`).join(' ')})`);
      return;
    case 'EXISTS':
    case 'RECENT':
      out.append(`${r.count} ${r.type}`);
      return;
    case 'EXPUNGE': out.append(`${r.sequence} EXPUNGE`); return;
    case 'VANISHED': out.append(`VANISHED ${r.earlier ? '(EARLIER) ' : ''}${formatNumberSet(r.uids)}`); return;
    case 'FLAGS': out.append(`FLAGS (${r.flags.join(' ')})`); return;
    case 'SEARCH':
    case 'SORT': {
      const modSeq = r.modSeq !== undefined && r.numbers.length > 0 ? ` (MODSEQ ${r.modSeq})` : '';
      out.append(`${[r.type, ...r.numbers].join(' ')}${modSeq}`);
      return;
    }
    case 'ESEARCH': {
      const parts = ['ESEARCH'];
      if (r.tag !== null) parts.push(`(TAG ${stringOut(r.tag)})`);
      if (r.uid) parts.push('UID');
      if (r.min !== undefined) parts.push(`MIN ${r.min}`);
      if (r.max !== undefined) parts.push(`MAX ${r.max}`);
      if (r.count !== undefined) parts.push(`COUNT ${r.count}`);
      // RFC 4731 §3.1: no ALL when nothing matched.
      if (r.all !== undefined && r.all.length > 0) parts.push(`ALL ${formatNumberSet(r.all)}`);
      if (r.modSeq !== undefined) parts.push(`MODSEQ ${r.modSeq}`);
      out.append(parts.join(' '));
      return;
    }
    case 'THREAD':
      out.append(`THREAD${r.threads.length > 0 ? ' ' : ''}${r.threads.map((t) => `(${threadMembers(t)})`).join('')}`);
      return;
    case 'FETCH': writeFetch(out, r.sequence, r.items); return;
    case 'NAMESPACE':
      out.append(`NAMESPACE ${namespaceList(r.personal, utf8)} ${namespaceList(r.other, utf8)} ${namespaceList(r.shared, utf8)}`);
      return;
    case 'QUOTA':
      out.append(`QUOTA ${astringOut(r.root, utf8)} (${r.resources.map((q) => `${q.name} ${q.usage} ${q.limit}`).join(' ')})`);
      return;
    case 'QUOTAROOT': out.append(['QUOTAROOT', mailbox(r.mailbox), ...r.roots.map((q) => astringOut(q, utf8))].join(' ')); return;
    case 'ACL':
      out.append(['ACL', mailbox(r.mailbox), ...r.entries.flatMap((e) => [astringOut(e.identifier, utf8), astringOut(e.rights)])].join(' '));
      return;
    case 'LISTRIGHTS':
      out.append(['LISTRIGHTS', mailbox(r.mailbox), astringOut(r.identifier, utf8), astringOut(r.required), ...r.optional.map((o) => astringOut(o))].join(' '));
      return;
    case 'MYRIGHTS': out.append(`MYRIGHTS ${mailbox(r.mailbox)} ${astringOut(r.rights)}`); return;
    case 'ID':
      out.append(r.parameters === null ? 'ID NIL' : `ID (${r.parameters.map(([k, v]) => `${stringOut(k, utf8)} ${nstringOut(v, utf8)}`).join(' ')})`);
  }
}

/** The response as parts to write in order: Buffers, and streams for streamed FETCH bodies. */
export function encodeResponse(response: Response, options: SerializeOptions = {}): ResponsePart[] {
  const out = new ResponseBuilder();
  const utf8 = options.utf8 ?? false;
  if (response.type === 'status') {
    out.append(statusText(response));
  } else if (response.type === 'continuation') {
    const t = response.text;
    out.append(typeof t === 'string' ? `+ ${textOut(t)}` : `+ ${Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('base64')}`);
  } else {
    out.append('* ');
    writeData(out, response, utf8);
  }
  return out.finish();
}

/** The response as one Buffer; it must not contain a streamed body (use writeResponse()). */
export function serializeResponse(response: Response, options: SerializeOptions = {}): Buffer {
  const parts = encodeResponse(response, options);
  return Buffer.concat(parts.map((p) => {
    if (!Buffer.isBuffer(p)) throw new TypeError('serializeResponse(): the response streams a body; use writeResponse()');
    return p;
  }));
}
