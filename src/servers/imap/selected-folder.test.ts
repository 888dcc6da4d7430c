import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSequenceSet } from '../../protocol/imap/index.js';
import { SelectedFolder } from './selected-folder.js';

const folder = (uids: number[]): SelectedFolder => new SelectedFolder(
  { mailboxId: 'm', mailboxAddress: 'info@contoso.com', folderName: 'INBOX', imapName: 'INBOX', level: 'owner', delegated: false },
  'f', 1, uids, false, 'lrswipkxtea',
);
const set = (text: string) => parseSequenceSet(text)!;

describe('the selected folder', () => {
  it('maps message numbers and UIDs (RFC 3501 §2.3.1)', () => {
    const f = folder([3, 5, 9, 10]);
    assert.deepEqual(f.select(set('2:3'), false), [[2, 5], [3, 9]]);
    assert.deepEqual(f.select(set('*'), false), [[4, 10]]);
    assert.deepEqual(f.select(set('4:9'), true), [[2, 5], [3, 9]]);
    assert.deepEqual(f.select(set('11:*'), true), [[4, 10]], '"11:*" still names the highest UID (RFC 3501 §6.4.8)');
    assert.deepEqual(f.select(set('1:2'), true), []);
    assert.equal(f.sequenceOf(9), 3);
    assert.equal(f.sequenceOf(4), 0);
  });

  it('says a message number beyond EXISTS is out of range, but not "*"', () => {
    const f = folder([1, 2]);
    assert.ok(f.outOfRange(set('1:4294967295')));
    assert.ok(f.outOfRange(set('3')));
    assert.ok(!f.outOfRange(set('1:*')));
    assert.ok(!folder([]).outOfRange(set('1:*')));
  });

  it('reports its own expunges from the top so each number is right when sent (RFC 3501 §7.4.1)', () => {
    const f = folder([1, 2, 3, 4, 5]);
    assert.deepEqual(f.removeOwn([2, 4]), [4, 2]);
    assert.deepEqual(f.uids, [1, 3, 5]);
    assert.deepEqual(f.removeOwn([42]), []);
  });
});
