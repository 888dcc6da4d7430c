import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDateTime, parseDateTime, parseSearchDate } from './date-time.js';

describe('IMAP dates (RFC 3501 §9)', () => {
  it('parses date-time with its zone, day padded with a space or a zero', () => {
    assert.equal(parseDateTime('17-Jul-1996 02:44:25 -0700')!.toISOString(), '1996-07-17T09:44:25.000Z');
    assert.equal(parseDateTime(' 1-Jan-2024 00:00:00 +0100')!.toISOString(), '2023-12-31T23:00:00.000Z');
    assert.equal(parseDateTime('01-jan-2024 00:00:00 +0000')!.toISOString(), '2024-01-01T00:00:00.000Z');
  });

  it('refuses impossible date-times', () => {
    for (const bad of ['31-Feb-2024 00:00:00 +0000', '1-Foo-2024 00:00:00 +0000', '1-Jan-2024 24:00:00 +0000', '1-Jan-2024 00:00 +0000', '1-Jan-2024 00:00:00', '1-Jan-2024 00:00:00 +2400', '']) {
      assert.equal(parseDateTime(bad), null, bad);
    }
  });

  it('writes INTERNALDATE in a given zone (RFC 3501 §8 example)', () => {
    const date = new Date('1996-07-17T09:44:25Z');
    assert.equal(formatDateTime(date, -420), '17-Jul-1996 02:44:25 -0700');
    assert.equal(formatDateTime(date), '17-Jul-1996 09:44:25 +0000');
    assert.equal(formatDateTime(new Date('2024-03-05T10:00:00Z'), 330), '05-Mar-2024 15:30:00 +0530');
    assert.equal(parseDateTime(formatDateTime(date, -420))!.getTime(), date.getTime());
  });

  it('parses SEARCH dates to ISO days', () => {
    assert.equal(parseSearchDate('1-Feb-1994'), '1994-02-01');
    assert.equal(parseSearchDate('29-feb-2024'), '2024-02-29');
    assert.equal(parseSearchDate('29-Feb-2023'), null);
    assert.equal(parseSearchDate('1994-02-01'), null);
  });
});
