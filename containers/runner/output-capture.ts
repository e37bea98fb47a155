// Reads a child's stdout/stderr with a byte cap, so an endless flood never grows the worker's memory.
import type { Readable } from 'node:stream';

/**
 * Keeps the first `limit` bytes, decoded incrementally (a multibyte character split across
 * chunks is joined; invalid UTF-8 becomes U+FFFD). Past the cap it calls `onOverflow` once and
 * keeps reading and discarding, so the writer never blocks on a full pipe before it is killed.
 */
export class OutputCapture {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private text = '';
  private bytes = 0;
  truncated = false;
  readonly done: Promise<void>;

  constructor(
    stream: Readable,
    private readonly limit: number,
    onOverflow: () => void,
  ) {
    this.done = new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        if (this.truncated) return;
        const room = this.limit - this.bytes;
        if (chunk.length > room) {
          this.append(chunk.subarray(0, room));
          this.truncated = true;
          onOverflow();
          return;
        }
        this.append(chunk);
      });
      stream.on('error', () => resolve());
      stream.on('close', () => resolve());
    });
  }

  private append(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.text += this.decoder.decode(chunk, { stream: true });
  }

  /** Everything kept; a character cut at the cap becomes U+FFFD. */
  result(): string {
    return this.text + this.decoder.decode();
  }
}
