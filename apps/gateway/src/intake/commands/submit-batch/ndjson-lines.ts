/** One line of an NDJSON stream: its bytes, or only the fact that it was longer than allowed. */
export type NdjsonLine = { number: number; bytes: Buffer } | { number: number; tooLarge: true };

/**
 * Splits a byte stream into lines (LF, an optional CR before it is dropped) in constant memory: a line
 * longer than `maxLineBytes` is not kept — its bytes are skipped up to the next LF and it is reported as
 * too large. Blank lines are counted but not reported. Lines are numbered from 1.
 *
 * @example
 * const lines = new NdjsonLineSplitter(65536);
 * for (const line of lines.push(chunk)) handle(line);
 * for (const line of lines.end()) handle(line);
 */
export class NdjsonLineSplitter {
  private parts: Buffer[] = [];
  private length = 0;
  private skipping = false;
  private count = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Lines seen so far, blank ones included. */
  get lines(): number {
    return this.count;
  }

  /** True when bytes of an unfinished line are held (a stream cut here ends mid-line). */
  get midLine(): boolean {
    return this.length > 0 || this.skipping;
  }

  push(chunk: Buffer): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      const end = lf === -1 ? chunk.length : lf;
      if (!this.skipping) {
        if (this.length + (end - start) > this.maxLineBytes) {
          this.skipping = true;
          this.parts = [];
          this.length = 0;
        } else if (end > start) {
          this.parts.push(chunk.subarray(start, end));
          this.length += end - start;
        }
      }
      if (lf === -1) break;
      this.finish(out);
      start = lf + 1;
    }
    return out;
  }

  /** The end of the stream: a last line without LF is a line too. */
  end(): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    if (this.midLine) this.finish(out);
    return out;
  }

  private finish(out: NdjsonLine[]): void {
    const number = ++this.count;
    if (this.skipping) {
      out.push({ number, tooLarge: true });
    } else {
      let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length);
      if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
      // Copy: a slice would pin the whole socket chunk in memory.
      if (bytes.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d))
        out.push({ number, bytes: Buffer.from(bytes) });
    }
    this.parts = [];
    this.length = 0;
    this.skipping = false;
  }
}
