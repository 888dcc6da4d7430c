import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliError } from '../errors.js';
import { Output, type CliIo } from '../output.js';
import { printRestored, settingsPatch } from './mailbox.js';

test('mailbox set sends only the settings given', () => {
  assert.deepEqual(settingsPatch({ forward: true, hidden: true }, false), { hiddenFromAddressList: true });
  assert.deepEqual(settingsPatch({ forward: true, forwardTo: 'bob@contoso.com', keepCopy: false, quotaWarn: '9GB' }, false), {
    forwarding: { enabled: true, address: 'bob@contoso.com', keepCopy: false },
    quota: { warn: '9GB' },
  });
  assert.deepEqual(settingsPatch({ forward: false }, true), { forwarding: { enabled: false, address: null } });
  assert.deepEqual(settingsPatch({ forward: true, autoReply: 'scheduled', start: 's', end: 'e', externalMessage: '' }, false), {
    autoReply: { state: 'scheduled', externalMessage: '', start: 's', end: 'e' },
  });
});

test('mailbox set refuses an empty change and a schedule without --auto-reply scheduled', () => {
  assert.throws(() => settingsPatch({ forward: true }, false), CliError);
  assert.throws(() => settingsPatch({ forward: true, autoReply: 'on', start: '2030-01-01' }, false), /use them with --auto-reply scheduled/);
});

test('mailbox recover says how many messages were restored and which, or that there was nothing', () => {
  let stdout = '';
  const io = { env: {}, stdin: process.stdin, stdout: { write: (s: string) => { stdout += s; } }, stderr: { write: () => undefined } } as CliIo;
  const out = new Output(io, false);
  const restored = [
    { folder: 'INBOX', uid: 12, subject: 'Price list', expungedAt: '2030-03-04T09:15:00.000Z', expungedBy: 'bob@contoso.com' },
    { folder: 'Projects/2030', uid: 3, subject: '', expungedAt: '2030-03-04T09:16:00.000Z', expungedBy: 'carol@contoso.com' },
  ];
  printRestored(out, 'info@contoso.com', restored, undefined);
  printRestored(out, 'info@contoso.com', restored.slice(0, 1), '2030-03-04');
  printRestored(out, 'info@contoso.com', [], undefined);
  printRestored(out, 'info@contoso.com', [], '2030-03-05');
  assert.equal(stdout, [
    'Restored 2 messages to info@contoso.com:',
    'Folder         UID  Subject     Deleted at                Deleted by',
    'INBOX          12   Price list  2030-03-04T09:15:00.000Z  bob@contoso.com',
    'Projects/2030  3    -           2030-03-04T09:16:00.000Z  carol@contoso.com',
    'Restored 1 message to info@contoso.com:',
    'Folder  UID  Subject     Deleted at                Deleted by',
    'INBOX   12   Price list  2030-03-04T09:15:00.000Z  bob@contoso.com',
    'Nothing to restore: info@contoso.com has no deleted messages that can be recovered.',
    'Nothing to restore: no message deleted from info@contoso.com since 2030-03-05 can be recovered.',
    '',
  ].join('\n'));
});
