import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { commandOf, refusalOf } from '../reader-test-support.js';
import { decodeSaslResponse } from './authenticate.js';

describe('AUTHENTICATE (RFC 3501 §6.2.2, RFC 4959)', () => {
  it('parses a mechanism without initial response', () => {
    assert.deepEqual(commandOf('A001 AUTHENTICATE plain'), { name: 'AUTHENTICATE', mechanism: 'PLAIN', initialResponse: null });
  });

  it('decodes a SASL-IR initial response, "=" being empty (RFC 4959 §3)', () => {
    const ir = Buffer.from('\0alice@contoso.com\0secret').toString('base64');
    const command = commandOf(`A01 AUTHENTICATE PLAIN ${ir}`);
    assert.ok(command.name === 'AUTHENTICATE' && command.initialResponse?.toString() === '\0alice@contoso.com\0secret');
    assert.deepEqual(commandOf('A01 AUTHENTICATE EXTERNAL ='), { name: 'AUTHENTICATE', mechanism: 'EXTERNAL', initialResponse: Buffer.alloc(0) });
  });

  it('refuses malformed input', () => {
    assert.equal(refusalOf('A1 AUTHENTICATE'), 'BAD Missing SASL mechanism');
    assert.equal(refusalOf('A1 AUTHENTICATE PLAIN AGFsaWNl!'), 'BAD Initial response is not valid base64');
    assert.equal(refusalOf('A1 AUTHENTICATE PLAIN AAAA BBBB'), 'BAD Unexpected atom BBBB after the arguments');
    assert.equal(refusalOf('A1 AUTHENTICATE P%AIN'), 'BAD Invalid SASL mechanism name');
  });

  it('reads continuation responses: base64, empty, or * to cancel', () => {
    assert.equal(decodeSaslResponse('*'), 'cancel');
    assert.deepEqual(decodeSaslResponse(''), Buffer.alloc(0));
    assert.deepEqual(decodeSaslResponse('AGEAYg=='), Buffer.from('\0a\0b'));
    assert.equal(decodeSaslResponse('AGEAYg='), null);
  });
});
