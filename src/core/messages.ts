/** The exact words users see. Kept in one place so every interface says the same thing. */
export const messages = {
  permissionDenied: 'You do not have permission to access this page or perform this action.',
  accountLocked: 'Your account has been locked. Contact your support person to unlock it, then try again.',
  badCredentials: 'Your account or password is incorrect.',
  signInRequired: 'Sign in to continue.',
  sessionExpired: 'Your session has expired. Sign in again.',
  proxyAddressInUse: (address: string, ownerName: string) =>
    `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${ownerName}". Please choose another proxy address.`,
  domainNotAccepted: (domain: string) =>
    `The domain "${domain}" isn't an accepted domain of your organization. Add it under Domains first, or use an address in an accepted domain.`,
  outsideOrganizationMember: (address: string) =>
    `"${address}" is outside your organization. Shared mailboxes can only be used by people in your organization.`,
  unknownRecipient: (name: string) => `The recipient "${name}" wasn't found in your organization.`,
  unknownDomain: (domain: string) => `The domain "${domain}" wasn't found.`,
  sharedUnblockWarning: (address: string) =>
    `Warning: ${address} is a shared mailbox. Its account should stay blocked: members reach the mailbox with their own credentials.`,
} as const;
