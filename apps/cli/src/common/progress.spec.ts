import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createProgress } from './progress.js';

/** A stream that records what was written and claims (or not) to be a terminal. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream & { written: () => string };
  Object.assign(stream, {
    isTTY,
    columns: 100,
    cursorTo: (x: number, _y?: unknown, cb?: () => void) => {
      chunks.push(`\u001b[${x}G`);
      cb?.();
      return true;
    },
    clearLine: (_dir: number, cb?: () => void) => {
      cb?.();
      return true;
    },
    moveCursor: (_dx: number, _dy: number, cb?: () => void) => {
      cb?.();
      return true;
    },
    written: () => chunks.join(''),
  });
  return stream;
}

describe(createProgress.name, () => {
  it('writes nothing when the output is not a terminal', () => {
    const stream = fakeStream(false);
    const sut = createProgress({ total: 10, label: 'sending', stream });
    for (let i = 0; i < 10; i++) sut.increment();
    sut.stop();
    expect(stream.written()).toBe('');
  });

  it('draws the label, the count and an ETA on a terminal', () => {
    const stream = fakeStream(true);
    const sut = createProgress({ total: 4, label: 'verifying', stream });
    sut.increment(2);
    sut.update(4);
    sut.stop();
    expect(stream.written()).toMatch(/verifying \[.*\] 100% \| 4\/4 \| ETA /);
  });

  it('accepts a total that grows while working', () => {
    const stream = fakeStream(true);
    const sut = createProgress({ total: 1, label: 'exporting', stream });
    sut.setTotal(3);
    sut.update(3);
    sut.stop();
    expect(stream.written()).toContain('3/3');
  });
});
