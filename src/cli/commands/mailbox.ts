import { Option, type Command } from 'commander';
import type { MailboxSettingsPatch } from '../../admin/mailbox-settings.js';
import type { RecoverableItemView } from '../../admin/recovery.js';
import type { AccountView } from '../../admin/views.js';
import { formatSize } from '../../core/sizes.js';
import type { MailboxSettings } from '../../directory/mailbox-settings.js';
import type { RestoredMessage } from '../../store/mail/expunge.js';
import type { AutoReplyState, ExternalAudience } from '../../store/sql/schema.js';
import { segment } from '../api-client.js';
import { CliError } from '../errors.js';
import type { Output } from '../output.js';
import { onOff, positiveInteger } from '../parsers.js';
import { newPassword } from '../prompt.js';
import { onOffText, orDash, yesNo } from '../render.js';
import type { CliRuntime } from '../runtime.js';

interface SetOptions {
  forwardTo?: string;
  forward: boolean;
  keepCopy?: boolean;
  autoReply?: AutoReplyState;
  internalMessage?: string;
  externalMessage?: string;
  externalAudience?: ExternalAudience;
  start?: string;
  end?: string;
  copySentAs?: boolean;
  copySendOnBehalf?: boolean;
  quotaWarn?: string;
  quotaSend?: string;
  quotaReceive?: string;
  hidden?: boolean;
  privateSeen?: boolean;
}

/** Drops the keys whose value is undefined, so the PATCH carries only what was given. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** One PATCH with only the settings given on the command line; the server validates them together. */
export function settingsPatch(options: SetOptions, noForwardGiven: boolean): MailboxSettingsPatch {
  if ((options.start !== undefined || options.end !== undefined) && options.autoReply !== undefined && options.autoReply !== 'scheduled') {
    throw new CliError('--start and --end schedule automatic replies: use them with --auto-reply scheduled.');
  }
  const forwarding = defined({
    enabled: options.forwardTo !== undefined ? true : noForwardGiven ? false : undefined,
    address: options.forwardTo ?? (noForwardGiven ? null : undefined),
    keepCopy: options.keepCopy,
  });
  const autoReply = defined({
    state: options.autoReply,
    internalMessage: options.internalMessage,
    externalMessage: options.externalMessage,
    externalAudience: options.externalAudience,
    start: options.start,
    end: options.end,
  });
  const sentItems = defined({ copySentAs: options.copySentAs, copySendOnBehalf: options.copySendOnBehalf });
  const quota = defined({ warn: options.quotaWarn, send: options.quotaSend, receive: options.quotaReceive });
  const patch: MailboxSettingsPatch = {
    ...(forwarding ? { forwarding } : {}),
    ...(autoReply ? { autoReply } : {}),
    ...(sentItems ? { sentItems } : {}),
    ...(quota ? { quota } : {}),
    ...(options.hidden === undefined ? {} : { hiddenFromAddressList: options.hidden }),
    ...(options.privateSeen === undefined ? {} : { privateSeen: options.privateSeen }),
  };
  if (Object.keys(patch).length === 0) throw new CliError('Nothing to change: give at least one setting (see "mailroom mailbox set --help").');
  return patch;
}

const autoReplyText = (a: MailboxSettings['autoReply']): string =>
  a.state === 'scheduled' ? `Scheduled, from ${a.start ?? '?'} to ${a.end ?? '?'}` : onOffText(a.state === 'on');

function printSettings(out: Output, address: string, s: MailboxSettings): void {
  out.keyValues([
    ['Mailbox', address],
    ['Forwarding', s.forwarding.enabled ? `To ${s.forwarding.address ?? '?'}` : 'Off'],
    ['Keep a copy when forwarding', yesNo(s.forwarding.keepCopy)],
    ['Automatic replies', autoReplyText(s.autoReply)],
    ['Reply inside the organization', orDash(s.autoReply.internalMessage)],
    ['Reply outside the organization', orDash(s.autoReply.externalMessage ?? '')],
    ['Reply outside to', s.autoReply.externalAudience === 'known' ? 'Known senders only' : 'All senders'],
    ['Copy messages sent as', onOffText(s.sentItems.copySentAs)],
    ['Copy messages sent on behalf', onOffText(s.sentItems.copySendOnBehalf)],
    ['Issue warning at', formatSize(s.quota.warnBytes)],
    ['Prohibit send at', formatSize(s.quota.sendBytes)],
    ['Prohibit send and receive at', formatSize(s.quota.receiveBytes)],
    ['Hidden from address lists', yesNo(s.hiddenFromAddressList)],
    ['Private read state (IMAP \\Seen per member)', onOffText(s.privateSeen)],
  ]);
}

/** What `mailbox recover` prints: how many, then which, where they are now. */
export function printRestored(out: Output, address: string, restored: readonly RestoredMessage[], since: string | undefined): void {
  if (restored.length === 0) {
    out.line(since === undefined
      ? `Nothing to restore: ${address} has no deleted messages that can be recovered.`
      : `Nothing to restore: no message deleted from ${address} since ${since} can be recovered.`);
    return;
  }
  out.line(`Restored ${restored.length} ${restored.length === 1 ? 'message' : 'messages'} to ${address}:`);
  out.table(['Folder', 'UID', 'Subject', 'Deleted at', 'Deleted by'], restored.map((m) => [m.folder, String(m.uid), orDash(m.subject), m.expungedAt, m.expungedBy]), '');
}

export function registerMailboxCommands(program: Command, runtime: CliRuntime): void {
  const mailbox = program.command('mailbox').description('mailbox settings (forwarding, automatic replies, sent items, quotas, visibility), conversion, and recovery of deleted mail');

  mailbox.command('show').description('show the settings of a user or shared mailbox')
    .argument('<address>', 'an address of the mailbox')
    .action(async (address: string, _options: object, command: Command) => runtime.run(command, async ({ api, out }) => {
      const settings = await api.get<MailboxSettings>(`/mailboxes/${segment(address)}/settings`);
      out.result(settings, () => printSettings(out, address, settings));
    }));

  mailbox.command('set').description('change settings of a mailbox; settings not given keep their value, and nothing changes unless all are valid')
    .argument('<address>', 'an address of the mailbox')
    .option('--forward-to <address>', 'forward incoming mail to one address (a group for several)')
    .addOption(new Option('--no-forward', 'stop forwarding').conflicts('forwardTo'))
    .option('--keep-copy <on|off>', 'keep a copy of forwarded mail in the mailbox', onOff)
    .addOption(new Option('--auto-reply <state>', 'automatic replies').choices(['off', 'on', 'scheduled']))
    .option('--internal-message <text>', 'automatic reply to senders inside the organization (plain text)')
    .option('--external-message <text>', 'automatic reply to senders outside the organization (plain text; "" for none)')
    .addOption(new Option('--external-audience <audience>', 'which outside senders get a reply').choices(['all', 'known']))
    .option('--start <iso>', 'start of scheduled automatic replies (ISO 8601)')
    .option('--end <iso>', 'end of scheduled automatic replies (ISO 8601)')
    .option('--copy-sent-as <on|off>', 'keep a copy of mail sent as this mailbox in its Sent Items', onOff)
    .option('--copy-send-on-behalf <on|off>', 'keep a copy of mail sent on behalf of this mailbox in its Sent Items', onOff)
    .option('--quota-warn <size>', 'issue a warning at this size, e.g. 49GB')
    .option('--quota-send <size>', 'prohibit sending at this size, e.g. 49.5GB')
    .option('--quota-receive <size>', 'prohibit sending and receiving at this size, e.g. 50GB')
    .option('--hidden <on|off>', 'hide the mailbox from address lists', onOff)
    .option('--private-seen <on|off>', 'keep the read state (IMAP \\Seen) per member instead of shared', onOff)
    .action(async (address: string, options: SetOptions, command: Command) => {
      const patch = settingsPatch(options, command.getOptionValueSource('forward') === 'cli');
      await runtime.run(command, async ({ api, out }) => {
        const settings = await api.patch<MailboxSettings>(`/mailboxes/${segment(address)}/settings`, patch);
        out.result(settings, () => printSettings(out, address, settings));
      });
    });

  mailbox.command('convert').description('convert a user mailbox to a shared one (sign-in blocked, roles removed) or back (needs a password)')
    .argument('<address>', 'an address of the mailbox')
    .addOption(new Option('--to <type>', 'what the mailbox becomes').choices(['shared', 'user']).makeOptionMandatory())
    .option('--password <pw>', 'with --to user: the password of the user account (prompted for on a terminal when omitted)')
    .action(async (address: string, options: { to: 'shared' | 'user'; password?: string }, command: Command) => runtime.run(command, async ({ api, out, io }) => {
      if (options.to === 'shared' && options.password !== undefined) throw new CliError('--password is for --to user: a shared mailbox has no password anyone uses.');
      const password = options.to === 'user' ? await newPassword(io, options.password, address) : undefined;
      const account = await api.post<AccountView>(`/mailboxes/${segment(address)}/convert`, { to: options.to, ...(password === undefined ? {} : { password }) });
      out.result(account, () => out.line(options.to === 'shared'
        ? `${account.primaryAddress} is now a shared mailbox; its sign-in is blocked.`
        : `${account.primaryAddress} is now a user mailbox; its sign-in is allowed.`));
    }));

  mailbox.command('recoverable').description('deleted messages of a mailbox that can still be restored, most recently deleted first')
    .argument('<address>', 'an address of the mailbox')
    .option('--limit <n>', 'at most this many (default 1000)', positiveInteger(10000))
    .action(async (address: string, options: { limit?: number }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const items = await api.get<RecoverableItemView[]>(`/mailboxes/${segment(address)}/recoverable`, { limit: options.limit });
      out.result(items, () => out.table(
        ['Folder', 'UID', 'Subject', 'Size', 'Deleted at', 'Deleted by', 'Recoverable until'],
        items.map((i) => [i.folder, i.uid === null ? '-' : String(i.uid), orDash(i.subject), formatSize(i.size), i.expungedAt, i.expungedBy, i.recoverableUntil]),
        `${address} has no deleted messages that can be recovered.`,
      ));
    }));

  mailbox.command('recover').description('restore deleted messages to the folders they were deleted from, for everyone who opens the mailbox')
    .argument('<address>', 'an address of the mailbox')
    .option('--since <iso>', 'only messages deleted at or after this time (ISO 8601)')
    .action(async (address: string, options: { since?: string }, command: Command) => runtime.run(command, async ({ api, out }) => {
      const restored = await api.post<RestoredMessage[]>(`/mailboxes/${segment(address)}/recover`, options.since === undefined ? {} : { since: options.since });
      out.result(restored, () => printRestored(out, address, restored, options.since));
    }));
}
