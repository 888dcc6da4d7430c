import { EventEmitter } from 'node:events';

/** One change to a mailbox, published after the transaction that made it commits. */
export type MailChange =
  | { kind: 'message-added'; mailboxId: string; folderId: string; uid: number; modseq: number }
  /** `flags`, when given, holds each message's new stored flags ("\\Seen $Label"), in the order of `uids`. */
  | { kind: 'flags-changed'; mailboxId: string; folderId: string; uids: number[]; modseq: number; flags?: string[] }
  | { kind: 'expunged'; mailboxId: string; folderId: string; uids: number[]; modseq: number }
  | { kind: 'folder-created' | 'folder-renamed' | 'folder-deleted'; mailboxId: string; folderId: string; name: string }
  /** A calendar or one of its objects changed (CalDAV); `syncSeq` is the calendar's new sync token number. */
  | { kind: 'calendar-changed'; mailboxId: string; calendarId: string; syncSeq: number; objects: string[]; deleted: boolean };

export type ChangeListener = (change: MailChange) => void;

/**
 * In-process publish/subscribe of store changes (IMAP IDLE, CalDAV, web). Delivery is
 * synchronous, so subscribers hear of a change within the same tick as its commit. Across
 * nodes a PostgreSQL LISTEN/NOTIFY relay can call `publish` with what other nodes committed.
 */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Subscribes to one mailbox's changes; returns the unsubscribe function. */
  subscribe(mailboxId: string, listener: ChangeListener): () => void {
    this.emitter.on(mailboxId, listener);
    return () => this.emitter.off(mailboxId, listener);
  }

  subscribeAll(listener: ChangeListener): () => void {
    this.emitter.on('*', listener);
    return () => this.emitter.off('*', listener);
  }

  publish(changes: readonly MailChange[]): void {
    for (const change of changes) {
      this.emitter.emit(change.mailboxId, change);
      this.emitter.emit('*', change);
    }
  }
}
