import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMailbox, removeHeaderFields } from './header-edit.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('removeHeaderFields', () => {
  test('removes every field of that name with its continuation lines, keeping all other bytes', () => {
    const raw = bytes('From: a@x\r\nSender: Old\r\n\tFolded <old@x>\r\nTo: b@x\r\nsender: second@x\r\nSubject: s\r\n\r\nSender: in the body\r\n');
    assert.equal(removeHeaderFields(raw, ['Sender']).toString('latin1'), 'From: a@x\r\nTo: b@x\r\nSubject: s\r\n\r\nSender: in the body\r\n');
  });

  test('the first and last fields, bare LF, and a header without a body', () => {
    assert.equal(removeHeaderFields(bytes('Sender: x\nFrom: a\n\nbody'), ['sender']).toString('latin1'), 'From: a\n\nbody');
    assert.equal(removeHeaderFields(bytes('From: a\r\nSender : x\r\n y\r\n\r\n'), ['sender']).toString('latin1'), 'From: a\r\n\r\n');
    assert.equal(removeHeaderFields(bytes('From: a\r\nSender: x'), ['sender']).toString('latin1'), 'From: a\r\n');
  });

  test('a message without the field, or without any header, is returned as it is', () => {
    const plain = bytes('From: a\r\nTo: b\r\n\r\nSender: b\r\n');
    assert.equal(removeHeaderFields(plain, ['sender']), plain);
    const noHeader = bytes('just a body line\r\nSender: x\r\n');
    assert.equal(removeHeaderFields(noHeader, ['sender']), noHeader);
  });

  test('8-bit bytes elsewhere in the header survive', () => {
    const raw = Buffer.concat([bytes('Subject: '), Buffer.from([0xe9, 0xff]), bytes('\r\nSender: x\r\n\r\nb')]);
    assert.deepEqual(removeHeaderFields(raw, ['sender']), Buffer.concat([bytes('Subject: '), Buffer.from([0xe9, 0xff]), bytes('\r\n\r\nb')]));
  });
});

describe('formatMailbox', () => {
  test('atoms as they are, specials quoted, non-ASCII as an encoded word, no name as <address>', () => {
    assert.equal(formatMailbox('Alice Wilber', 'alice@contoso.com'), 'Alice Wilber <alice@contoso.com>');
    assert.equal(formatMailbox('Wilber, Alice', 'alice@contoso.com'), '"Wilber, Alice" <alice@contoso.com>');
    assert.equal(formatMailbox('Al "the pal" \\ W.', 'a@x'), '"Al \\"the pal\\" \\\\ W." <a@x>');
    assert.equal(formatMailbox('Zoë Ødegård', 'z@x'), `=?UTF-8?B?${Buffer.from('Zoë Ødegård').toString('base64')}?= <z@x>`);
    assert.equal(formatMailbox('  ', 'a@x'), '<a@x>');
    assert.equal(formatMailbox('Evil\r\nBcc: x@y', 'a@x'), '"Evil Bcc: x@y" <a@x>', 'a line break can never start a new field');
  });
});
