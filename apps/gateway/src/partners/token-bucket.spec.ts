import { describe, expect, it } from '@jest/globals';
import { TokenBuckets } from './token-bucket.js';

describe(TokenBuckets.name, () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('admits a burst and refuses the next request with the wait in whole seconds', () => {
    const time = clock();
    const sut = new TokenBuckets(() => ({ requestsPerSecond: 0.5, burst: 3 }), time.now);
    const answers = [1, 2, 3, 4].map(() => sut.take('kmar'));
    expect(answers).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 2 },
    ]);
  });

  it('refills at the configured rate', () => {
    const time = clock();
    const sut = new TokenBuckets(() => ({ requestsPerSecond: 10, burst: 1 }), time.now);
    sut.take('kmar');
    time.advance(100);
    expect(sut.take('kmar')).toEqual({ allowed: true });
  });

  it('keeps partners apart', () => {
    const sut = new TokenBuckets(() => ({ requestsPerSecond: 1, burst: 1 }), clock().now);
    sut.take('kmar');
    expect(sut.take('politie-oost-brabant')).toEqual({ allowed: true });
  });

  it('charges a cost of several tokens at once', () => {
    const sut = new TokenBuckets(() => ({ requestsPerSecond: 1, burst: 5 }), clock().now);
    expect([sut.take('kmar', 4), sut.take('kmar', 4)]).toEqual([
      { allowed: true },
      { allowed: false, retryAfterSeconds: 3 },
    ]);
  });

  it('holds no more keys than its bound', () => {
    const time = clock();
    const sut = new TokenBuckets(() => ({ requestsPerSecond: 1, burst: 1 }), time.now, 3);
    for (const key of ['a', 'b', 'c', 'd', 'e']) sut.take(key);
    expect((sut as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(3);
  });
});
