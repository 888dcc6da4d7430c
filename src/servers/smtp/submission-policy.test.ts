import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptableAuthorizationIdentity, authenticationRefusal, isLoopback } from './submission-policy.js';

describe('submission policy', () => {
  test('loopback addresses, in every spelling smtp-server reports', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.9', '0:0:0:0:0:0:0:1']) assert.equal(isLoopback(ip), true, ip);
    for (const ip of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', 'fe80::1', '::', '128.0.0.1', 'localhost', '']) assert.equal(isLoopback(ip), false, ip);
  });

  test('AUTH without TLS from another machine: 538 5.7.11 (RFC 4954 §4, §6)', () => {
    for (const remoteAddress of ['192.0.2.2', '::ffff:198.51.100.7', '2001:db8::1']) {
      const refusal = authenticationRefusal({ secure: false, remoteAddress });
      assert.ok(refusal, remoteAddress);
      assert.equal(refusal.responseCode, 538);
      assert.equal(refusal.message, '5.7.11 Encryption required for requested authentication mechanism');
    }
  });

  test('AUTH is allowed over TLS from anywhere, and in clear on loopback', () => {
    assert.equal(authenticationRefusal({ secure: true, remoteAddress: '192.0.2.2' }), null);
    assert.equal(authenticationRefusal({ secure: true, remoteAddress: '127.0.0.1' }), null);
    assert.equal(authenticationRefusal({ secure: false, remoteAddress: '127.0.0.1' }), null);
    assert.equal(authenticationRefusal({ secure: false, remoteAddress: '::1' }), null);
  });

  test('an authorization identity must be absent or the authentication identity itself (RFC 4616 §2)', () => {
    assert.equal(acceptableAuthorizationIdentity(undefined, 'alice@contoso.com'), true);
    assert.equal(acceptableAuthorizationIdentity('', 'alice@contoso.com'), true);
    assert.equal(acceptableAuthorizationIdentity('Alice@Contoso.com', 'alice@contoso.com'), true);
    assert.equal(acceptableAuthorizationIdentity('info@contoso.com', 'alice@contoso.com'), false);
  });
});
