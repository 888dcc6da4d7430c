import { Buffer } from 'node:buffer';

interface Spooled {
  readonly size: number;
  readonly chunks: Buffer[];
  received: number;
  complete: boolean;
}

/**
 * Literals the reader streamed (APPEND messages above its stream threshold), gathered by id
 * until the command that carries them is complete. The store parses and hashes a message
 * whole, so the octets end up in one Buffer, which is bounded by APPENDLIMIT.
 */
export class LiteralSpool {
  private readonly literals = new Map<number, Spooled>();

  start(id: number, size: number): void {
    this.literals.set(id, { size, chunks: [], received: 0, complete: false });
  }

  async write(id: number, chunk: Buffer): Promise<void> {
    const literal = this.literals.get(id);
    if (!literal) return;
    // The reader's chunk is a view of the socket's buffer: copy it.
    literal.chunks.push(Buffer.from(chunk));
    literal.received += chunk.length;
  }

  async end(id: number): Promise<void> {
    const literal = this.literals.get(id);
    if (literal) literal.complete = true;
  }

  /** The literal's octets, once complete; it is forgotten. Null when unknown or incomplete. */
  take(id: number): Buffer | null {
    const literal = this.literals.get(id);
    this.literals.delete(id);
    if (!literal?.complete || literal.received !== literal.size) return null;
    return Buffer.concat(literal.chunks, literal.size);
  }

  discardAll(): void {
    this.literals.clear();
  }
}
