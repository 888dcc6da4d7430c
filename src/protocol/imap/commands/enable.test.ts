import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('ENABLE (RFC 5161)', () => {
  it('lists capabilities, upper-cased', () => {
    assert.deepEqual(commandOf('t2 ENABLE condstore QRESYNC UTF8=ACCEPT'), { name: 'ENABLE', capabilities: ['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT'] });
  });

  it('needs at least one atom', () => {
    assert.equal(refusalOf('t2 ENABLE'), 'BAD Missing capability to enable');
    assert.equal(refusalOf('t2 ENABLE "CONDSTORE"'), 'BAD Expected capability, got quoted string');
  });
});
