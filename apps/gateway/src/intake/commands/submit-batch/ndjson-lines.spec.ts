import { describe, expect, it } from '@jest/globals';
import { NdjsonLineSplitter } from './ndjson-lines.js';

const text = (lines: ReturnType<NdjsonLineSplitter['push']>) =>
  lines.map((l) => ('bytes' in l ? [l.number, l.bytes.toString()] : [l.number, 'TOO_LARGE']));

describe(NdjsonLineSplitter.name, () => {
  it('joins a line split across chunks', () => {
    const sut = new NdjsonLineSplitter(100);
    expect(text([...sut.push(Buffer.from('{"a"')), ...sut.push(Buffer.from(':1}\n{"b":2}\n'))])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
    ]);
  });

  it('reports a line above the limit as too large and goes on with the next', () => {
    const sut = new NdjsonLineSplitter(5);
    expect(text([...sut.push(Buffer.from('0123456789')), ...sut.push(Buffer.from('abc\nok\n'))])).toEqual([
      [1, 'TOO_LARGE'],
      [2, 'ok'],
    ]);
  });

  it('counts blank lines without reporting them and drops a CR before LF', () => {
    const sut = new NdjsonLineSplitter(100);
    expect(text(sut.push(Buffer.from('a\r\n\n  \nb\n')))).toEqual([
      [1, 'a'],
      [4, 'b'],
    ]);
  });

  it('takes a last line without LF at the end of the stream', () => {
    const sut = new NdjsonLineSplitter(100);
    sut.push(Buffer.from('a\nb'));
    expect(text(sut.end())).toEqual([[2, 'b']]);
  });

  it('says when the stream stops mid-line', () => {
    const sut = new NdjsonLineSplitter(100);
    sut.push(Buffer.from('a\n{"cut'));
    expect(sut.midLine).toBe(true);
  });
});
