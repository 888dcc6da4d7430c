/** The JSON shapes of /api/v1 (src/admin/views.ts and the routes) that the admin center reads. */

export type Role = 'global-admin' | 'exchange-admin';
export type RecipientKind = 'user' | 'shared' | 'distribution' | 'security';
export type MailboxRight = 'FullAccess' | 'SendAs' | 'SendOnBehalf';

export interface Principal {
  id: string;
  address: string;
  displayName: string;
  kind: RecipientKind;
  roles: Role[];
}

export interface Recipient {
  id: string;
  kind: RecipientKind;
  displayName: string;
  alias: string;
  primaryAddress: string;
  proxyAddresses: string[];
  hiddenFromAddressList: boolean;
  createdAt: string;
}

export interface Account extends Recipient {
  signInBlocked: boolean;
  roles: Role[];
}

export interface Permission {
  trustee: string;
  trusteeName: string;
  trusteeKind: RecipientKind;
  rights: MailboxRight[];
  automap: boolean;
}

export interface SharedMailbox extends Account {
  members: Permission[];
  memberCount: number;
  storageUsedBytes: number;
}

export interface Group extends Recipient {
  mailEnabled: boolean;
  members: { address: string; displayName: string; kind: RecipientKind }[];
}

export interface Domain {
  name: string;
  isDefault: boolean;
  createdAt: string;
}

export interface MailboxSettings {
  forwarding: { enabled: boolean; address: string | null; keepCopy: boolean };
  autoReply: {
    state: 'off' | 'on' | 'scheduled';
    start: string | null;
    end: string | null;
    internalMessage: string;
    externalMessage: string | null;
    externalAudience: 'all' | 'known';
  };
  sentItems: { copySentAs: boolean; copySendOnBehalf: boolean };
  quota: { warnBytes: number; sendBytes: number; receiveBytes: number };
  hiddenFromAddressList: boolean;
}

export interface SignInChange {
  address: string;
  signInBlocked: boolean;
  changed: boolean;
  sharedMailbox: boolean;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
}

export const roleNames: Record<Role, string> = {
  'global-admin': 'Global Administrator',
  'exchange-admin': 'Exchange Administrator',
};

export const rightNames: Record<MailboxRight, string> = {
  FullAccess: 'Read and manage',
  SendAs: 'Send as',
  SendOnBehalf: 'Send on behalf',
};
