// Accumulates one response as parts: text is joined and sent as UTF-8; literal bodies are kept as
// the caller's bytes or stream, never copied into the text.
import { Buffer } from 'node:buffer';
import type { StreamedBody } from './response-types.js';

export type ResponsePart = Buffer | StreamedBody;

export class ResponseBuilder {
  private readonly parts: ResponsePart[] = [];
  private text = '';

  /** Appends IMAP text (already quoted or formatted). */
  append(text: string): this {
    this.text += text;
    return this;
  }

  /** Appends a literal: `{n}\r\n` (or `~{n}\r\n`) then the octets. */
  literal(data: Uint8Array | StreamedBody, binary = false): this {
    const size = data instanceof Uint8Array ? data.length : data.size;
    this.text += `${binary ? '~' : ''}{${size}}\r\n`;
    this.flush();
    this.parts.push(data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : data);
    return this;
  }

  /** Ends the response with CRLF and returns its parts. */
  finish(): ResponsePart[] {
    this.text += '\r\n';
    this.flush();
    return this.parts;
  }

  private flush(): void {
    if (this.text === '') return;
    this.parts.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
  }
}
