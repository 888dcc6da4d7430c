import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';
import { isIdleDone } from './no-argument.js';

describe('commands without arguments', () => {
  it('parses each one, case-insensitively', () => {
    for (const name of ['CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'CHECK', 'CLOSE', 'UNSELECT', 'IDLE', 'NAMESPACE']) {
      assert.deepEqual(commandOf(`a1 ${name.toLowerCase()}`), { name });
    }
  });

  it('refuses arguments', () => {
    assert.equal(refusalOf('a1 NOOP now'), 'BAD Unexpected atom now after the arguments');
    assert.equal(refusalOf('a1 IDLE (x)'), 'BAD Unexpected parenthesized list after the arguments');
  });

  it('recognizes the DONE that ends IDLE (RFC 2177)', () => {
    assert.equal(isIdleDone('DONE'), true);
    assert.equal(isIdleDone('done'), true);
    assert.equal(isIdleDone('DONE '), false);
  });
});
