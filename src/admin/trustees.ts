import { parseAddress } from '../core/address.js';
import { InvalidInput, NotFound, OutsideOrganization } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { isAcceptedDomain } from '../directory/domains.js';
import { findRecipient, type Recipient } from '../directory/recipients.js';
import type { Tx } from './context.js';

/**
 * Resolves who may receive mailbox permissions: a user or a security group of the
 * organization. An address outside the accepted domains is refused as outside the
 * organization (only people in the organization can use a shared mailbox); an unknown
 * name inside it is refused as unknown.
 */
export async function resolveTrustee(tx: Tx, identifier: string): Promise<Recipient> {
  if (identifier.includes('@')) {
    const address = parseAddress(identifier, 'trustee');
    if (!(await isAcceptedDomain(tx, address.domain))) throw new OutsideOrganization(messages.outsideOrganizationMember(address.address));
  }
  const trustee = await findRecipient(tx, identifier);
  if (!trustee) throw new NotFound(messages.unknownRecipient(identifier));
  if (trustee.kind !== 'user' && trustee.kind !== 'security') {
    throw new InvalidInput(`"${trustee.displayName}" can't be given mailbox permissions: only users and security groups can.`, 'trustee');
  }
  return trustee;
}
