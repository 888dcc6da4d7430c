import { parseAddress } from '../core/address.js';
import { InvalidInput, NotFound } from '../core/errors.js';
import { messages } from '../core/messages.js';
import { parseSize } from '../core/sizes.js';
import { isAcceptedDomain } from '../directory/domains.js';
import { getMailboxSettings, saveMailboxSettings, type MailboxSettings } from '../directory/mailbox-settings.js';
import { findRecipient, requireRecipient, type Recipient } from '../directory/recipients.js';
import type { AutoReplyState, ExternalAudience } from '../store/sql/schema.js';
import { changeAudited, requireAdmin, type AdminContext, type Tx } from './context.js';

/** A partial update; anything absent keeps its value. */
export interface MailboxSettingsPatch {
  forwarding?: { enabled?: boolean; address?: string | null; keepCopy?: boolean };
  autoReply?: {
    state?: AutoReplyState;
    start?: string | null;
    end?: string | null;
    internalMessage?: string;
    externalMessage?: string | null;
    externalAudience?: ExternalAudience;
  };
  sentItems?: { copySentAs?: boolean; copySendOnBehalf?: boolean };
  quota?: { warn?: string | number; send?: string | number; receive?: string | number };
  hiddenFromAddressList?: boolean;
  /** IMAP: keep \Seen per member instead of shared (docs/imap.md). */
  privateSeen?: boolean;
}

const maxReplyLength = 8000;

export async function showMailboxSettings(ctx: AdminContext, address: string): Promise<MailboxSettings> {
  requireAdmin(ctx.actor, 'recipients');
  const mailbox = await requireRecipient(ctx.db, address, ['user', 'shared']);
  return getMailboxSettings(ctx.db, mailbox.id);
}

export async function updateMailboxSettings(ctx: AdminContext, address: string, patch: MailboxSettingsPatch): Promise<MailboxSettings> {
  requireAdmin(ctx.actor, 'recipients');
  return changeAudited(ctx, async (tx, audit) => {
    const mailbox = await requireRecipient(tx, address, ['user', 'shared']);
    const before = await getMailboxSettings(tx, mailbox.id);
    const after = await applyPatch(tx, mailbox, before, patch);
    await saveMailboxSettings(tx, mailbox.id, after);
    await audit({ action: 'mailbox.set', target: mailbox.primaryAddress, before, after });
    return after;
  });
}

async function applyPatch(tx: Tx, mailbox: Recipient, current: MailboxSettings, patch: MailboxSettingsPatch): Promise<MailboxSettings> {
  const next: MailboxSettings = structuredClone(current);
  if (patch.forwarding) next.forwarding = await validateForwarding(tx, mailbox, { ...next.forwarding, ...patch.forwarding });
  if (patch.autoReply) {
    const state = patch.autoReply.state ?? next.autoReply.state;
    if (state !== 'scheduled' && (patch.autoReply.start || patch.autoReply.end)) {
      throw new InvalidInput('A start and end time apply only to scheduled automatic replies. Set the state to "scheduled", or leave the times out.', 'autoReply.start');
    }
    next.autoReply = validateAutoReply({ ...next.autoReply, ...patch.autoReply });
  }
  if (patch.sentItems) next.sentItems = { ...next.sentItems, ...patch.sentItems };
  if (patch.quota) next.quota = validateQuota(next.quota, patch.quota);
  if (patch.hiddenFromAddressList !== undefined) next.hiddenFromAddressList = patch.hiddenFromAddressList;
  if (patch.privateSeen !== undefined) next.privateSeen = patch.privateSeen;
  return next;
}

async function validateForwarding(tx: Tx, mailbox: Recipient, f: MailboxSettings['forwarding']): Promise<MailboxSettings['forwarding']> {
  if (!f.enabled) return { enabled: false, address: null, keepCopy: f.keepCopy };
  const raw = (f.address ?? '').trim();
  if (raw === '') throw new InvalidInput('Enter the address to forward to.', 'forwarding.address');
  if (/[,;\s]/.test(raw)) {
    throw new InvalidInput('Mail can be forwarded to one address only. To forward to several addresses, create a distribution group and forward to the group.', 'forwarding.address');
  }
  const address = parseAddress(raw, 'forwarding.address');
  if (await isAcceptedDomain(tx, address.domain)) {
    const target = await findRecipient(tx, address.address);
    if (!target) throw new NotFound(messages.unknownRecipient(address.address));
    if (target.id === mailbox.id) throw new InvalidInput("A mailbox can't forward to itself.", 'forwarding.address');
    if (!target.mailEnabled) throw new InvalidInput(`"${target.displayName}" doesn't receive mail, so mail can't be forwarded to it.`, 'forwarding.address');
    return { enabled: true, address: target.primaryAddress, keepCopy: f.keepCopy };
  }
  return { enabled: true, address: address.address, keepCopy: f.keepCopy };
}

function assertPlainText(text: string, field: string): void {
  if (text.length > maxReplyLength) throw new InvalidInput(`An automatic reply can be at most ${maxReplyLength} characters.`, field);
  // The guide: "You can only add text (no images)". Markup or embedded images are refused, not stripped.
  // A tag is "<" then a name, as HTML parses it; "Ask Carol <carol@contoso.com>" or "2 < 3 > 1" is text.
  if (/<(?:\/?[a-z][a-z0-9-]*(?:[\s/][^>]*)?|![^>]*)>/i.test(text) || /data:image\//i.test(text)) {
    throw new InvalidInput('Automatic replies can contain plain text only: HTML and images are not allowed.', field);
  }
}

function validateAutoReply(a: MailboxSettings['autoReply']): MailboxSettings['autoReply'] {
  if (!['off', 'on', 'scheduled'].includes(a.state)) throw new InvalidInput(`Automatic replies are off, on or scheduled, not "${a.state}".`, 'autoReply.state');
  if (!['all', 'known'].includes(a.externalAudience)) throw new InvalidInput(`The outside audience is "all" or "known", not "${a.externalAudience}".`, 'autoReply.externalAudience');
  assertPlainText(a.internalMessage, 'autoReply.internalMessage');
  const external = a.externalMessage === null || a.externalMessage.trim() === '' ? null : a.externalMessage;
  if (external !== null) assertPlainText(external, 'autoReply.externalMessage');
  if (a.state !== 'off' && a.internalMessage.trim() === '') {
    // The guide: replying only to people outside the organization is not possible.
    throw new InvalidInput('Enter the reply for people inside your organization. A reply only to people outside it is not possible.', 'autoReply.internalMessage');
  }
  let start = a.start;
  let end = a.end;
  if (a.state === 'scheduled') {
    const startMs = start ? Date.parse(start) : NaN;
    const endMs = end ? Date.parse(end) : NaN;
    if (Number.isNaN(startMs) || Number.isNaN(endMs)) throw new InvalidInput('Scheduled automatic replies need a start and an end time (ISO 8601).', 'autoReply.start');
    if (endMs <= startMs) throw new InvalidInput('The end time of automatic replies must be after the start time.', 'autoReply.end');
    start = new Date(startMs).toISOString();
    end = new Date(endMs).toISOString();
  } else {
    start = null;
    end = null;
  }
  return { ...a, start, end, externalMessage: external };
}

function validateQuota(current: MailboxSettings['quota'], patch: NonNullable<MailboxSettingsPatch['quota']>): MailboxSettings['quota'] {
  const next = {
    warnBytes: patch.warn === undefined ? current.warnBytes : parseSize(patch.warn, 'quota.warn'),
    sendBytes: patch.send === undefined ? current.sendBytes : parseSize(patch.send, 'quota.send'),
    receiveBytes: patch.receive === undefined ? current.receiveBytes : parseSize(patch.receive, 'quota.receive'),
  };
  if (next.warnBytes <= 0 || next.sendBytes <= 0 || next.receiveBytes <= 0) throw new InvalidInput('Quotas must be greater than zero.', 'quota');
  if (!(next.warnBytes <= next.sendBytes && next.sendBytes <= next.receiveBytes)) {
    throw new InvalidInput('Quotas must satisfy: issue warning ≤ prohibit send ≤ prohibit send and receive.', 'quota');
  }
  return next;
}
