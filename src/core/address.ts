import { InvalidInput } from './errors.js';

/** An email address split into its parts; `key` is the case-insensitive identity. */
export interface Address {
  readonly address: string;
  readonly localPart: string;
  readonly domain: string;
  readonly key: string;
}

// RFC 5321 §4.1.2 dot-atom local parts (quoted local parts are not offered for new recipients).
const localPartPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isValidDomainName(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => domainLabel.test(label));
}

export function normalizeDomain(domain: string): string {
  const trimmed = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!isValidDomainName(trimmed)) throw new InvalidInput(`"${domain}" is not a valid domain name.`, 'domain');
  return trimmed;
}

export function parseAddress(input: string, field = 'address'): Address {
  const address = input.trim();
  const at = address.lastIndexOf('@');
  const localPart = address.slice(0, at);
  const domain = address.slice(at + 1);
  // RFC 5321 §4.5.3.1.1: a local part is at most 64 octets.
  if (at <= 0 || localPart.length > 64 || !localPartPattern.test(localPart) || !isValidDomainName(domain)) {
    throw new InvalidInput(`"${input}" is not a valid email address.`, field);
  }
  const normalized = `${localPart}@${domain.toLowerCase()}`;
  return { address: normalized, localPart, domain: domain.toLowerCase(), key: normalized.toLowerCase() };
}

/**
 * Suggests a local part from a display name, as the admin center's wizard does:
 * letters and digits only, accents folded, lower case ("Sales Team" → "salesteam",
 * "Équipe Ventes" → "equipeventes"). Returns "" when nothing usable is left.
 */
export function suggestLocalPart(displayName: string): string {
  return displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 64);
}
