import { InvalidArgumentError } from 'commander';
import type { MailboxRight, Role } from '../store/sql/schema.js';

/** Option-value parsers: a bad value is refused before any request, with commander's one-line usage error. */

export function onOff(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new InvalidArgumentError('Use "on" or "off".');
}

const roles: readonly Role[] = ['global-admin', 'exchange-admin'];

/** Collects a repeatable --role. */
export function collectRole(value: string, previous: Role[] = []): Role[] {
  const role = roles.find((r) => r === value.trim().toLowerCase());
  if (!role) throw new InvalidArgumentError(`Roles are ${roles.join(' and ')}.`);
  return previous.includes(role) ? previous : [...previous, role];
}

const rights: readonly MailboxRight[] = ['FullAccess', 'SendAs', 'SendOnBehalf', 'ReadOnly', 'NoDelete'];

/** "FullAccess,SendAs" (any case) → the API's spelling. */
export function parseRights(value: string): MailboxRight[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError(`Give one or more of ${rights.join(', ')}, separated by commas.`);
  const parsed: MailboxRight[] = [];
  for (const name of names) {
    const right = rights.find((r) => r.toLowerCase() === name.toLowerCase());
    if (!right) throw new InvalidArgumentError(`Unknown right "${name}". Rights: ${rights.join(', ')}.`);
    if (!parsed.includes(right)) parsed.push(right);
  }
  return parsed;
}

export function positiveInteger(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`Use a whole number from 1 to ${max}.`);
    return n;
  };
}
