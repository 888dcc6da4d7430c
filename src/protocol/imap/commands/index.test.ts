import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refusalOf, parseText } from '../reader-test-support.js';
import { COMMANDS } from './index.js';

describe('command registry', () => {
  it('knows every command of the codec, and which take UID', () => {
    assert.equal(COMMANDS.size, 41);
    assert.deepEqual([...COMMANDS.values()].filter((d) => d.uid).map((d) => d.name).sort(), ['COPY', 'EXPUNGE', 'FETCH', 'MOVE', 'SEARCH', 'SORT', 'STORE', 'THREAD']);
  });

  it('answers unknown commands and invalid UID forms BAD', () => {
    assert.equal(refusalOf('a1 XYZZY'), 'BAD Unknown command XYZZY');
    assert.equal(refusalOf('a1 UID LOGIN a b'), 'BAD Unknown command UID LOGIN');
    assert.equal(refusalOf('a1 UID'), 'BAD UID must be followed by a command');
    assert.equal(refusalOf('a1 UID "FETCH" 1 FLAGS'), 'BAD UID must be followed by a command');
  });

  it('keeps the tag and the name for the answer', () => {
    const parsed = parseText('T9 uid fetch x flags');
    assert.ok(!parsed.ok);
    assert.equal(parsed.tag, 'T9');
    assert.equal(parsed.name, 'UID FETCH');
  });
});
