import type { Kysely } from 'kysely';
import { getAccountState } from '../directory/accounts.js';
import { allMailboxRights, listGrants, openingRights } from '../directory/grants.js';
import { listGroupMembers } from '../directory/groups.js';
import type { Recipient } from '../directory/recipients.js';
import { mailboxUsage } from '../store/mail/message-writer.js';
import type { Database, MailboxRight, RecipientKind, Role } from '../store/sql/schema.js';

/** The JSON shapes every interface returns (HTTP API, CLI --json, admin center). */
export interface RecipientView {
  id: string;
  kind: RecipientKind;
  displayName: string;
  alias: string;
  primaryAddress: string;
  proxyAddresses: string[];
  hiddenFromAddressList: boolean;
  createdAt: string;
}

export interface AccountView extends RecipientView {
  signInBlocked: boolean;
  roles: Role[];
}

export interface PermissionView {
  trustee: string;
  trusteeName: string;
  trusteeKind: RecipientKind;
  rights: MailboxRight[];
  automap: boolean;
}

export interface SharedMailboxView extends AccountView {
  members: PermissionView[];
  memberCount: number;
  /** Bytes the mailbox's messages take, as its quotas count them. Admins may not read the folders themselves. */
  storageUsedBytes: number;
}

export interface GroupView extends RecipientView {
  mailEnabled: boolean;
  members: { address: string; displayName: string; kind: RecipientKind }[];
}

type Db = Kysely<Database>;

export function recipientView(r: Recipient): RecipientView {
  return {
    id: r.id,
    kind: r.kind,
    displayName: r.displayName,
    alias: r.alias,
    primaryAddress: r.primaryAddress,
    proxyAddresses: r.proxyAddresses,
    hiddenFromAddressList: r.hidden,
    createdAt: r.createdAt,
  };
}

export async function accountView(db: Db, r: Recipient): Promise<AccountView> {
  const state = await getAccountState(db, r.id);
  return { ...recipientView(r), signInBlocked: state?.signInBlocked ?? true, roles: state?.roles ?? [] };
}

/** Grants of a mailbox folded per trustee: one row per person or group with all their rights. */
export async function permissionViews(db: Db, mailboxId: string): Promise<PermissionView[]> {
  const byTrustee = new Map<string, PermissionView>();
  for (const grant of await listGrants(db, mailboxId)) {
    const view = byTrustee.get(grant.trustee.id) ?? {
      trustee: grant.trustee.primaryAddress,
      trusteeName: grant.trustee.displayName,
      trusteeKind: grant.trustee.kind,
      rights: [],
      automap: false,
    };
    view.rights.push(grant.right);
    if (openingRights.includes(grant.right)) view.automap = view.automap || grant.automap;
    byTrustee.set(grant.trustee.id, view);
  }
  const order = allMailboxRights;
  return [...byTrustee.values()]
    .map((v) => ({ ...v, rights: order.filter((r) => v.rights.includes(r)) }))
    .sort((a, b) => a.trusteeName.localeCompare(b.trusteeName));
}

export async function sharedMailboxView(db: Db, r: Recipient): Promise<SharedMailboxView> {
  const members = (await permissionViews(db, r.id)).filter((p) => p.rights.some((right) => openingRights.includes(right)));
  const usage = await mailboxUsage(db, r.id);
  return { ...(await accountView(db, r)), members, memberCount: members.length, storageUsedBytes: usage.bytes };
}

export async function groupView(db: Db, r: Recipient): Promise<GroupView> {
  const members = await listGroupMembers(db, r.id);
  return {
    ...recipientView(r),
    mailEnabled: r.mailEnabled,
    members: members.map((m) => ({ address: m.primaryAddress, displayName: m.displayName, kind: m.kind })),
  };
}
