import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** web/dist of this installation: dist/src/servers/http/ → the repository root. */
export const defaultAdminCenterRoot = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const compressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.map']);

// Griffel (Fluent UI) inserts <style> elements at run time, hence 'unsafe-inline' for styles only.
const securityHeaders = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

interface CachedFile { mtimeMs: number; size: number; body: Buffer; gzip: Buffer | null; etag: string }

/**
 * The admin center: the static single-page app built into web/dist, served at /admin.
 * Hashed files under assets/ are cached for a year; index.html is revalidated every time, so a
 * new build is picked up at once. Any other path under /admin is a page of the app (index.html).
 * It has no API of its own: the app talks to /api/v1 like every other client.
 */
export function registerAdminCenter(app: FastifyInstance, options: { root?: string } = {}): void {
  const root = resolve(options.root ?? defaultAdminCenterRoot);
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<CachedFile | null> {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(path);
    const gzip = compressible.has(extname(path)) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null;
    const file = { mtimeMs: info.mtimeMs, size: info.size, body, gzip, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    cache.set(path, file);
    return file;
  }

  function send(request: FastifyRequest, reply: FastifyReply, file: CachedFile, ext: string, cacheControl: string): FastifyReply {
    void reply.headers({ ...securityHeaders, 'content-type': contentTypes[ext] ?? 'application/octet-stream', 'cache-control': cacheControl, etag: file.etag, vary: 'accept-encoding' });
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    if (file.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  }

  async function serve(request: FastifyRequest<{ Params: { '*'?: string } }>, reply: FastifyReply): Promise<FastifyReply> {
    const relative = request.params['*'] ?? ''; // already percent-decoded by the router
    const path = resolve(root, relative);
    if (relative !== '' && (path === root || !path.startsWith(root + sep))) return notFound(reply);
    const ext = extname(path);
    const file = relative === '' ? null : await load(path);
    if (file) {
      const hashed = relative.startsWith('assets/');
      return send(request, reply, file, ext, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A missing file (an asset of an older build, say) is a 404, not the app's page;
    // /admin/shared-mailboxes/info@contoso.com is a page.
    if (relative.startsWith('assets/') || ext in contentTypes) return notFound(reply);
    const index = await load(join(root, 'index.html'));
    if (!index) {
      return reply.code(503).headers(securityHeaders).type('text/plain; charset=utf-8')
        .send('The admin center has not been built. Run `npm run build` (or `npm start`, which builds when needed).\n');
    }
    return send(request, reply, index, '.html', 'no-cache');
  }

  app.get('/admin', async (_request, reply) => reply.redirect('/admin/', 301));
  app.get('/admin/', serve);
  app.get('/admin/*', serve);
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).headers(securityHeaders).type('text/plain; charset=utf-8').send('Not found.\n');
}
