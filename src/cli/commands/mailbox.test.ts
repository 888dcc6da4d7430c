import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliError } from '../errors.js';
import { settingsPatch } from './mailbox.js';

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
