import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from './errors.js';
import { formatSize, parseSize } from './sizes.js';

describe('parseSize', () => {
  it('reads binary units and plain bytes', () => {
    assert.equal(parseSize('49GB', 'q'), 49 * 1024 ** 3);
    assert.equal(parseSize('49.5 GB', 'q'), 49.5 * 1024 ** 3);
    assert.equal(parseSize('500mb', 'q'), 500 * 1024 ** 2);
    assert.equal(parseSize('1234', 'q'), 1234);
    assert.equal(parseSize(42, 'q'), 42);
  });
  it('refuses what is not a size, naming the field', () => {
    assert.throws(() => parseSize('lots', 'quota.warn'), (e: unknown) => e instanceof InvalidInput && e.message.startsWith('quota.warn:'));
    assert.throws(() => parseSize(-1, 'q'), InvalidInput);
    assert.throws(() => parseSize('5 PB', 'q'), InvalidInput);
  });
});

describe('formatSize', () => {
  it('prints the largest whole unit', () => {
    assert.equal(formatSize(50 * 1024 ** 3), '50 GB');
    assert.equal(formatSize(49.5 * 1024 ** 3), '49.5 GB');
    assert.equal(formatSize(512), '512 B');
  });
});
