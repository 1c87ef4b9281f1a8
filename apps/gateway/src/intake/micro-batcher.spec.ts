import { describe, expect, it } from '@jest/globals';
import { MicroBatcher } from './micro-batcher.js';

describe(MicroBatcher.name, () => {
  it('runs items submitted together as one group and answers each caller with its own value', async () => {
    const groups: number[][] = [];
    const sut = new MicroBatcher<number, number>(
      async (items) => {
        groups.push(items);
        return items.map((i) => ({ ok: true as const, value: i * 10 }));
      },
      { maxItems: 100, maxWaitMs: 5, concurrency: 1 },
    );
    expect(await Promise.all([1, 2, 3].map((i) => sut.submit(i)))).toEqual([10, 20, 30]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  it('caps a group at maxItems', async () => {
    const sizes: number[] = [];
    const sut = new MicroBatcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items.map((value) => ({ ok: true as const, value }));
      },
      { maxItems: 2, maxWaitMs: 5, concurrency: 1 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((i) => sut.submit(i)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('fails only the member whose outcome is an error', async () => {
    const sut = new MicroBatcher<number, number>(
      async (items) =>
        items.map((i) =>
          i === 2 ? { ok: false as const, error: new Error('bad') } : { ok: true as const, value: i },
        ),
      { maxItems: 10, maxWaitMs: 1, concurrency: 1 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((i) => sut.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('queues items that arrive while a group runs into the next group', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const sut = new MicroBatcher<number, number>(
      async (items) => {
        groups.push(items);
        if (groups.length === 1) await first;
        return items.map((value) => ({ ok: true as const, value }));
      },
      { maxItems: 10, maxWaitMs: 0, concurrency: 1 },
    );
    const a = sut.submit(1);
    const rest = [2, 3, 4].map((i) => sut.submit(i));
    release();
    await Promise.all([a, ...rest]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });
});
