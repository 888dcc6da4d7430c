import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';

describe('ID (RFC 2971)', () => {
  it('parses the RFC 2971 §3.1 examples', () => {
    assert.deepEqual(commandOf('a023 ID ("name" "sodr" "version" "19.34" "vendor" "Pink Floyd Music Limited")'), {
      name: 'ID', parameters: [['name', 'sodr'], ['version', '19.34'], ['vendor', 'Pink Floyd Music Limited']],
    });
    assert.deepEqual(commandOf('a024 ID NIL'), { name: 'ID', parameters: null });
    assert.deepEqual(commandOf('a025 ID ("os" NIL)'), { name: 'ID', parameters: [['os', null]] });
  });

  it('refuses odd lists and oversized fields (RFC 2971 §3.3)', () => {
    assert.equal(refusalOf('a ID ("name")'), 'BAD Missing ID value');
    assert.equal(refusalOf('a ID (name "x")'), 'BAD Expected ID field as a string, got atom name');
    assert.equal(refusalOf(`a ID ("${'k'.repeat(31)}" "v")`), 'BAD ID field or value too long (RFC 2971 §3.3)');
    const many = Array.from({ length: 31 }, (_, i) => `"k${i}" "v"`).join(' ');
    assert.equal(refusalOf(`a ID (${many})`), 'BAD Too many ID fields (RFC 2971 §3.3)');
  });
});
