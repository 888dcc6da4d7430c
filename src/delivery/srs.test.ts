import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { srsForward, srsReverse } from './srs.js';

describe('SRS0', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  it('rewrites a sender into our domain and back', () => {
    const rewritten = srsForward('secret', 'alice@example.org', 'contoso.com', now);
    assert.match(rewritten, /^SRS0=[A-Za-z0-9]{6}=[A-Z2-7]{2}=example\.org=alice@contoso\.com$/);
    assert.equal(srsReverse('secret', rewritten, 21, now), 'alice@example.org');
  });
  it('leaves the null sender alone', () => {
    assert.equal(srsForward('secret', '', 'contoso.com', now), '');
  });
  it('refuses a forged hash, another secret and an expired address', () => {
    const rewritten = srsForward('secret', 'alice@example.org', 'contoso.com', now);
    assert.equal(srsReverse('other', rewritten, 21, now), null);
    assert.equal(srsReverse('secret', rewritten.replace(/^SRS0=[^=]+/, 'SRS0=AAAAAA'), 21, now), null);
    assert.equal(srsReverse('secret', rewritten, 21, new Date('2027-01-30T12:00:00Z')), null);
  });
});
