import type { Kysely } from 'kysely';
import type { Logger } from '../../core/logger.js';
import type { CredentialCache } from '../../directory/credential-cache.js';
import type { ImapCommand, ResponseCode } from '../../protocol/imap/index.js';
import type { BlobStore } from '../../store/blob/blob-store.js';
import type { ChangeFeed } from '../../store/change-feed.js';
import type { IndexedMessage } from '../../store/mail/message-writer.js';
import type { DatabaseEngine } from '../../store/sql/database.js';
import type { Database } from '../../store/sql/schema.js';
import type { FolderUidCache } from './folder-uid-cache.js';
import type { Session } from './session.js';

/** RFC 3501 §3: the connection states (RFC 9051 §3 keeps them). */
export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export const ANY_STATE: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHENTICATED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];

/** The tagged completion of a command. */
export interface CommandResult {
  readonly status: 'OK' | 'NO' | 'BAD';
  readonly code?: ResponseCode;
  readonly text: string;
}

export const ok = (text: string, code?: ResponseCode): CommandResult => (code ? { status: 'OK', code, text } : { status: 'OK', text });
export const no = (text: string, code?: ResponseCode): CommandResult => (code ? { status: 'NO', code, text } : { status: 'NO', text });
export const bad = (text: string, code?: ResponseCode): CommandResult => (code ? { status: 'BAD', code, text } : { status: 'BAD', text });

/** One command's behaviour: the states it is valid in, and what it does. */
export interface CommandHandler<C extends ImapCommand = ImapCommand> {
  readonly states: readonly SessionState[];
  /**
   * RFC 3501 §7.4.1: EXPUNGE responses must not be sent while FETCH, STORE or SEARCH (by
   * sequence number) run or end; the session holds them back after these commands.
   */
  readonly holdsExpunges?: (command: C) => boolean;
  run(session: Session, command: C, tag: string): Promise<CommandResult>;
}

export interface ImapTls {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface ImapDeps {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  readonly blobs: BlobStore;
  readonly feed: ChangeFeed;
  readonly credentials: CredentialCache;
  readonly logger: Logger;
  readonly hostname: string;
  readonly tls?: ImapTls | undefined;
  /** Resolves once every committed transaction is durable; awaited before a tagged OK that changed something. */
  readonly durable: () => Promise<void>;
  /** APPENDLIMIT (RFC 7889) and the largest literal accepted. */
  readonly maxMessageBytes: number;
  /** Parses a message for the store (delivery/index-message.ts). */
  readonly index: (raw: Buffer) => IndexedMessage;
  /** Shared UID lists of selected folders (folder-uid-cache.ts); without it SELECT reads them from the store. */
  readonly uidCache?: FolderUidCache | undefined;
  /** Seconds a connection may sit idle before BYE (RFC 3501 §5.4: at least 30 minutes). */
  readonly idleTimeoutSeconds?: number;
}
