import type { MailboxAccessLevel } from '../../directory/grants.js';

/**
 * RFC 4314 §2.1 rights: l lookup, r read, s keep \Seen, w write other flags, i insert, p post,
 * k create folders, x delete folder, t delete messages (\Deleted), e expunge, a administer ACL.
 * FullAccess (and the owner) hold all of them; Mailroom's restricted grants hold fewer.
 */
export const ALL_RIGHTS = 'lrswipkxtea';

const LEVEL_RIGHTS: Record<MailboxAccessLevel, string> = {
  owner: ALL_RIGHTS,
  full: ALL_RIGHTS,
  // NoDelete: everything but deleting messages or folders and changing who may do what.
  'no-delete': 'lrswipk',
  // ReadOnly: see and read, change nothing (not even the shared \Seen state).
  'read-only': 'lr',
};

export function rightsForLevel(level: MailboxAccessLevel): string {
  return LEVEL_RIGHTS[level];
}


/**
 * RFC 4314 §2.1.1: for clients of RFC 2086, a server reports the obsolete "c" when it grants "k"
 * and "d" when it grants "e", "t" or "x" (as every server that keeps RFC 2086 clients working does).
 */
export function withObsoleteRights(rights: string): string {
  let out = rights;
  if (rights.includes('k')) out += 'c';
  if (/[etx]/.test(rights)) out += 'd';
  return out;
}

/** RFC 4314 §4: a folder selected without any right to change state opens READ-ONLY. */
export const opensReadOnly = (rights: string): boolean => !/[stwe]/.test(rights);
