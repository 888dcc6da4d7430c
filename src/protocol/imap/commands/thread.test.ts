import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('THREAD (RFC 5256 §3)', () => {
  it('parses the RFC 5256 examples', () => {
    assert.deepEqual(commandOf('A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000'), {
      name: 'THREAD', uid: false, algorithm: 'ORDEREDSUBJECT', charset: 'UTF-8', search: { key: 'internaldate', op: 'since', date: '2000-03-05' },
    });
    assert.deepEqual(commandOf('A284 UID THREAD references US-ASCII TEXT "gewp"'), {
      name: 'THREAD', uid: true, algorithm: 'REFERENCES', charset: 'US-ASCII', search: { key: 'text', value: 'gewp' },
    });
  });

  it('refuses unknown algorithms and missing keys', () => {
    assert.equal(refusalOf('A THREAD REFS UTF-8 ALL'), 'BAD Unsupported threading algorithm REFS');
    assert.equal(refusalOf('A THREAD REFERENCES UTF-8'), 'BAD Missing search key');
  });
});
