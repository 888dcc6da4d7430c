import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('COMPRESS (RFC 4978)', () => {
  it('takes a mechanism', () => {
    assert.deepEqual(commandOf('a01 COMPRESS deflate'), { name: 'COMPRESS', mechanism: 'DEFLATE' });
  });

  it('needs exactly one', () => {
    assert.equal(refusalOf('a01 COMPRESS'), 'BAD Missing compression mechanism');
    assert.equal(refusalOf('a01 COMPRESS DEFLATE X'), 'BAD Unexpected atom X after the arguments');
  });
});
