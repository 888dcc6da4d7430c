import { normalizeInbox } from '../../protocol/imap/index.js';
import type { MailboxAccessLevel } from '../../directory/grants.js';

/**
 * How IMAP names map onto mailboxes (RFC 2342 namespaces). The personal namespace ("") holds
 * the session's own mailbox's folders; the shared namespace "Shared/" holds one node per shared
 * mailbox the user may open, `Shared/<address>/<folder>`. The hierarchy delimiter is "/".
 */
export const DELIMITER = '/';
export const SHARED_ROOT = 'Shared';
export const SHARED_PREFIX = `${SHARED_ROOT}${DELIMITER}`;

export type ParsedName =
  | { readonly kind: 'personal'; readonly folder: string }
  /** "Shared" itself: a \Noselect root. */
  | { readonly kind: 'shared-root' }
  /** "Shared/<address>": the mailbox's \Noselect node, parent of its folders. */
  | { readonly kind: 'shared-mailbox'; readonly address: string }
  | { readonly kind: 'shared'; readonly address: string; readonly folder: string };

/** Splits a decoded mailbox name into namespace, mailbox and folder. */
export function parseImapName(name: string): ParsedName {
  const normalized = normalizeInbox(name);
  if (normalized === SHARED_ROOT) return { kind: 'shared-root' };
  if (!normalized.startsWith(SHARED_PREFIX)) return { kind: 'personal', folder: normalized };
  const rest = normalized.slice(SHARED_PREFIX.length);
  const slash = rest.indexOf(DELIMITER);
  if (slash === -1) return { kind: 'shared-mailbox', address: rest.toLowerCase() };
  return { kind: 'shared', address: rest.slice(0, slash).toLowerCase(), folder: normalizeInbox(rest.slice(slash + 1)) };
}

/** The IMAP name of a folder of a shared mailbox. */
export const sharedName = (address: string, folder: string): string => `${SHARED_PREFIX}${address}${DELIMITER}${folder}`;

/** A folder name the client gave, resolved to a mailbox the session may open. */
export interface ResolvedFolder {
  readonly mailboxId: string;
  readonly mailboxAddress: string;
  /** The folder's name inside its mailbox ("INBOX", "Sent Items", "Projects/2026"). */
  readonly folderName: string;
  /** The name the client uses (what LIST shows). */
  readonly imapName: string;
  readonly level: MailboxAccessLevel;
  /** True when the mailbox is another principal's (shared namespace, or a delegated login). */
  readonly delegated: boolean;
}
