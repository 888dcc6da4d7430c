import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatNumberSet, formatSequenceSet, parseSequenceSet, resolveSequenceSet, sequenceSetHasStar, sequenceSetIncludes,
} from './sequence-set.js';

describe('sequence sets (RFC 3501 §9)', () => {
  it('parses numbers, ranges and *', () => {
    assert.deepEqual(parseSequenceSet('1,3:5,7:*'), [{ start: 1, end: 1 }, { start: 3, end: 5 }, { start: 7, end: '*' }]);
    assert.deepEqual(parseSequenceSet('*:4'), [{ start: '*', end: 4 }]);
    assert.deepEqual(parseSequenceSet('1:4294967295'), [{ start: 1, end: 4294967295 }]);
    assert.equal(formatSequenceSet(parseSequenceSet('2,4:7,9,12:*')!), '2,4:7,9,12:*');
  });

  it('refuses zero, overflow and malformed sets', () => {
    for (const bad of ['', '0', '1:0', '4294967296', '1,', ',1', '1::2', '1:2:3', 'a', '01', '-1', '1 2', '$']) {
      assert.equal(parseSequenceSet(bad), null, bad);
    }
  });

  it('resolves * against the largest number, in any order, merged and clipped', () => {
    assert.deepEqual(resolveSequenceSet(parseSequenceSet('5:2,9:*,3')!, 10), [[2, 5], [9, 10]]);
    // RFC 3501 §6.4.8: 559:* includes the last UID even when 559 is above it.
    assert.deepEqual(resolveSequenceSet(parseSequenceSet('559:*')!, 200), [[200, 200]]);
    assert.deepEqual(resolveSequenceSet(parseSequenceSet('300:400')!, 200), []);
    assert.deepEqual(resolveSequenceSet(parseSequenceSet('1:*')!, 0), []);
    assert.deepEqual(resolveSequenceSet(parseSequenceSet('1:4294967295')!, 3), [[1, 3]]);
  });

  it('tests membership and the use of *', () => {
    const set = parseSequenceSet('2:4,*')!;
    assert.equal(sequenceSetIncludes(set, 3, 10), true);
    assert.equal(sequenceSetIncludes(set, 10, 10), true);
    assert.equal(sequenceSetIncludes(set, 5, 10), false);
    assert.equal(sequenceSetHasStar(set), true);
    assert.equal(sequenceSetHasStar(parseSequenceSet('1:2')!), false);
  });

  it('writes number sets compactly, keeping order when asked (RFC 4315 COPYUID)', () => {
    assert.equal(formatNumberSet([7, 1, 2, 3, 9, 8, 3]), '1:3,7:9');
    assert.equal(formatNumberSet([304, 319, 320], false), '304,319:320');
    assert.equal(formatNumberSet([5, 3, 4], false), '5,3:4');
    assert.equal(formatNumberSet([]), '');
  });
});
