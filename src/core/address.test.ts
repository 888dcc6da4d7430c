import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from './errors.js';
import { normalizeDomain, parseAddress, suggestLocalPart } from './address.js';

describe('parseAddress', () => {
  it('lower-cases the domain and keys the address case-insensitively', () => {
    const a = parseAddress(' Info@Contoso.COM ');
    assert.equal(a.address, 'Info@contoso.com');
    assert.equal(a.localPart, 'Info');
    assert.equal(a.domain, 'contoso.com');
    assert.equal(a.key, 'info@contoso.com');
  });

  for (const bad of ['', 'info', '@contoso.com', 'info@', 'info@contoso', 'in fo@contoso.com', 'a..b@contoso.com', `${'x'.repeat(65)}@contoso.com`, 'info@-bad.com']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseAddress(bad), (err: unknown) => err instanceof InvalidInput && err.message.includes('is not a valid email address'));
    });
  }
});

describe('normalizeDomain', () => {
  it('accepts and lower-cases a domain, dropping a trailing dot', () => {
    assert.equal(normalizeDomain('Fabrikam.COM.'), 'fabrikam.com');
  });
  it('refuses a single label and bad characters', () => {
    assert.throws(() => normalizeDomain('localhost'), InvalidInput);
    assert.throws(() => normalizeDomain('bad_domain.com'), InvalidInput);
  });
});

describe('suggestLocalPart', () => {
  it('follows the documented rule: letters and digits, accents folded, lower case', () => {
    assert.equal(suggestLocalPart('Sales Team'), 'salesteam');
    assert.equal(suggestLocalPart('Équipe Ventes 2'), 'equipeventes2');
    assert.equal(suggestLocalPart('Info & Support!'), 'infosupport');
    assert.equal(suggestLocalPart('!!!'), '');
  });
});
