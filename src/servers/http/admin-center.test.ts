import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminCenter } from './admin-center.js';

describe('admin center static files', () => {
  let dir: string;
  let app: FastifyInstance;
  const index = '<!doctype html><title>Mailroom admin center</title><script type="module" src="/admin/assets/index-abc123.js"></script>';
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-admin-center-'));
    mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), index);
    writeFileSync(join(dir, 'dist', 'assets', 'index-abc123.js'), script);
    writeFileSync(join(dir, 'dist', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'secret.txt'), 'outside the root');
    app = Fastify();
    registerAdminCenter(app, { root: join(dir, 'dist') });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app at /admin/ and every page under it, revalidated on each visit', async () => {
    for (const url of ['/admin/', '/admin/users', '/admin/shared-mailboxes/info@contoso.com']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, index);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(String(res.headers['content-security-policy']), /script-src 'self';/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
    const redirect = await app.inject({ url: '/admin' });
    assert.equal(redirect.statusCode, 301);
    assert.equal(redirect.headers.location, '/admin/');
  });

  it('caches hashed assets for a year, answers 304 to a matching ETag and gzips when asked', async () => {
    const res = await app.inject({ url: '/admin/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, script);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    const etag = String(res.headers.etag);
    assert.equal((await app.inject({ url: '/admin/assets/index-abc123.js', headers: { 'if-none-match': etag } })).statusCode, 304);
    const gz = await app.inject({ url: '/admin/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString(), script);
    const icon = await app.inject({ url: '/admin/favicon.svg' });
    assert.deepEqual([icon.statusCode, icon.headers['content-type'], icon.headers['cache-control']], [200, 'image/svg+xml', 'no-cache']);
  });

  it('answers 404 for a missing file instead of the page, and never leaves its folder', async () => {
    for (const url of ['/admin/assets/index-old.js', '/admin/missing.css', '/admin/../secret.txt', '/admin/%2e%2e/secret.txt', '/admin/..%2fsecret.txt']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /outside the root/);
    }
  });

  it('says how to build it when web/dist is missing', async () => {
    const bare = Fastify();
    registerAdminCenter(bare, { root: join(dir, 'nothing-here') });
    const res = await bare.inject({ url: '/admin/users' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build/);
    await bare.close();
  });
});
