import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { nowIso } from '../../core/ids.js';
import type { Database } from '../sql/schema.js';

type Db = Kysely<Database>;

/** Bytes at or under this size live in the database row; larger blobs are files named by their hash. */
export const inlineBlobLimit = 256 * 1024;

export interface StagedBlob {
  readonly hash: string;
  readonly size: number;
  /** Present when the blob is small enough to be stored in its row. */
  readonly inline: Buffer | null;
}

export const hashBytes = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Content-addressed, immutable, reference-counted storage of raw messages: a message held by
 * 500 mailboxes is stored once. Staging writes a large blob's file durably (fsync of file and
 * directory) before the database row that points at it is committed, so a committed row never
 * points at a missing file; a crash in between leaves only an orphan file for the collector.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  async stage(bytes: Buffer): Promise<StagedBlob> {
    const hash = hashBytes(bytes);
    if (bytes.length <= inlineBlobLimit) return { hash, size: bytes.length, inline: bytes };
    const path = this.pathOf(hash);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    const dir = await open(dirname(path), 'r');
    try { await dir.sync(); } finally { await dir.close(); }
    return { hash, size: bytes.length, inline: null };
  }

  /** Adds `references` to a blob's count, creating its row on first use. Call inside the committing transaction. */
  async reference(db: Db, blob: StagedBlob, references = 1): Promise<void> {
    const updated = await db.updateTable('blobs').set((eb) => ({ refcount: eb('refcount', '+', references) }))
      .where('hash', '=', blob.hash).executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await db.insertInto('blobs').values({ hash: blob.hash, size: blob.size, refcount: references, data: blob.inline, created_at: nowIso() })
      .onConflict((oc) => oc.column('hash').doUpdateSet((eb) => ({ refcount: eb('blobs.refcount', '+', references) })))
      .execute();
  }

  /**
   * One reference per entry (a blob listed twice gets two), creating rows on first use: one
   * upsert for a whole group commit instead of an UPDATE and an INSERT per message. Call inside
   * the committing transaction.
   */
  async referenceAll(db: Db, blobs: readonly StagedBlob[]): Promise<void> {
    const counts = new Map<string, { blob: StagedBlob; references: number }>();
    for (const blob of blobs) {
      const entry = counts.get(blob.hash);
      if (entry) entry.references++;
      else counts.set(blob.hash, { blob, references: 1 });
    }
    const rows = [...counts.values()].map(({ blob, references }) => ({ hash: blob.hash, size: blob.size, refcount: references, data: blob.inline, created_at: nowIso() }));
    // Distinct hashes per statement: PostgreSQL refuses an upsert that touches one row twice.
    for (let i = 0; i < rows.length; i += 100) {
      await db.insertInto('blobs').values(rows.slice(i, i + 100))
        .onConflict((oc) => oc.column('hash').doUpdateSet((eb) => ({ refcount: eb('blobs.refcount', '+', eb.ref('excluded.refcount')) })))
        .execute();
    }
  }

  async release(db: Db, hash: string, references = 1): Promise<void> {
    await db.updateTable('blobs').set((eb) => ({ refcount: eb('refcount', '-', references) })).where('hash', '=', hash).execute();
  }

  async read(db: Db, hash: string): Promise<Buffer> {
    const row = await db.selectFrom('blobs').select(['data', 'size']).where('hash', '=', hash).executeTakeFirstOrThrow();
    if (row.data) return Buffer.from(row.data);
    const { readFile } = await import('node:fs/promises');
    return readFile(this.pathOf(hash));
  }

  /** Streams a blob: large blobs are never read whole into memory. */
  async open(db: Db, hash: string): Promise<Readable> {
    const row = await db.selectFrom('blobs').select(['data']).where('hash', '=', hash).executeTakeFirstOrThrow();
    return row.data ? Readable.from([Buffer.from(row.data)]) : createReadStream(this.pathOf(hash));
  }

  /**
   * Octets [start, end) of a blob: in memory for small ranges (a header, a text part), streamed
   * from the file for large ones, so a 35 MB attachment is never held whole.
   */
  async openRange(db: Db, hash: string, start: number, end: number): Promise<Buffer | Readable> {
    if (end <= start) return Buffer.alloc(0);
    const row = await db.selectFrom('blobs').select(['data']).where('hash', '=', hash).executeTakeFirstOrThrow();
    // The driver's Buffer is ours alone: a view of it, not a copy, per FETCH of a section.
    if (row.data) return Buffer.isBuffer(row.data) ? row.data.subarray(start, end) : Buffer.from(row.data).subarray(start, end);
    if (end - start <= 64 * 1024) {
      const file = await open(this.pathOf(hash), 'r');
      try {
        const buffer = Buffer.alloc(end - start);
        const { bytesRead } = await file.read(buffer, 0, end - start, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    }
    return createReadStream(this.pathOf(hash), { start, end: end - 1 });
  }

  /**
   * The first `length` octets of many blobs (message headers for SEARCH HEADER), a few hundred per
   * statement instead of one query each. Inline blobs are cut in SQL (substr works on blobs in
   * SQLite and bytea in PostgreSQL), so only the head crosses over; file blobs are read from disk.
   */
  async readHeads(db: Db, hashes: readonly string[], length: number): Promise<Map<string, Buffer>> {
    const heads = new Map<string, Buffer>();
    const unique = [...new Set(hashes)];
    // Only up to the blank line that ends a message's header, when there is one in the window.
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    const blankLine = postgres ? sql`position('\\x0d0a0d0a'::bytea in data)` : sql`instr(data, x'0d0a0d0a')`;
    const head = sql<Buffer | null>`substr(data, 1, CASE WHEN ${blankLine} BETWEEN 1 AND ${length} THEN ${blankLine} + 3 ELSE ${length} END)`;
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await db.selectFrom('blobs')
        .select(['hash', head.as('head')])
        .where('hash', 'in', unique.slice(i, i + 500)).execute();
      for (const row of rows) {
        if (row.head) heads.set(row.hash, Buffer.from(row.head));
        else {
          const data = await this.openRange(db, row.hash, 0, length);
          if (Buffer.isBuffer(data)) heads.set(row.hash, data);
          else heads.set(row.hash, await collect(data as AsyncIterable<Uint8Array>));
        }
      }
    }
    return heads;
  }

  /**
   * Deletes blobs no message, job, queue entry or recoverable item references any more. Returns
   * how many went. A file goes only with its row; a file written after its row was created is
   * the same bytes staged again for a row about to be committed (stage() writes before the
   * commit), so it is put back rather than lost.
   */
  async collectGarbage(db: Db): Promise<number> {
    const dead = await db.selectFrom('blobs').select(['hash', 'created_at', sql<number>`case when data is null then 1 else 0 end`.as('in_file')])
      .where('refcount', '<=', 0).limit(1000).execute();
    let removed = 0;
    for (const blob of dead) {
      const deleted = await db.deleteFrom('blobs').where('hash', '=', blob.hash).where('refcount', '<=', 0).executeTakeFirst();
      // Referenced again since the select: it stays, file and all.
      if (Number(deleted.numDeletedRows) === 0) continue;
      removed++;
      if (Number(blob.in_file) === 1) await this.removeFile(blob.hash, Date.parse(blob.created_at));
    }
    return removed;
  }

  private async removeFile(hash: string, rowCreatedMs: number): Promise<void> {
    const path = this.pathOf(hash);
    // Renamed first, so a file staged again from now on lands beside it, untouched.
    const doomed = `${path}.${process.pid}.gc`;
    try {
      await rename(path, doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const { mtimeMs } = await stat(doomed);
    if (mtimeMs > rowCreatedMs + 1000) {
      await link(doomed, path).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
    }
    await rm(doomed, { force: true });
  }
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
