import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Output, type CliIo } from './output.js';

function capture(json: boolean): { out: Output; stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  const io = { env: {}, stdin: process.stdin, stdout: { write: (s: string) => { stdout += s; } }, stderr: { write: (s: string) => { stderr += s; } } } as CliIo;
  return { out: new Output(io, json), stdout: () => stdout, stderr: () => stderr };
}

test('a table aligns its columns and leaves no trailing spaces', () => {
  const { out, stdout } = capture(false);
  out.table(['Address', 'Name', 'Roles'], [['alice@contoso.com', 'Alice', '-'], ['bo@contoso.com', 'Bob Kelly', 'Global Administrator']], 'none');
  assert.equal(stdout(), [
    'Address            Name       Roles',
    'alice@contoso.com  Alice      -',
    'bo@contoso.com     Bob Kelly  Global Administrator',
    '',
  ].join('\n'));
});

test('an empty table prints its empty text; key/value lines align and indent continuation lines', () => {
  const { out, stdout } = capture(false);
  out.table(['A'], [], 'No users found.');
  out.keyValues([['Address', 'a@b.c'], ['Reply inside', 'Away.\nBack Monday.']]);
  assert.equal(stdout(), 'No users found.\nAddress:      a@b.c\nReply inside: Away.\n              Back Monday.\n');
});

test('--json prints the value, two-space indented, and skips the human form; warnings go to stderr', () => {
  const { out, stdout, stderr } = capture(true);
  out.result({ a: [1] }, () => assert.fail('not in JSON mode'));
  out.warn('Warning: careful');
  assert.equal(stdout(), '{\n  "a": [\n    1\n  ]\n}\n');
  assert.equal(stderr(), 'Warning: careful\n');
});
