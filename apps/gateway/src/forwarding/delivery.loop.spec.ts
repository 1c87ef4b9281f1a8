import { afterEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, DeliveryLoop } from './delivery.loop.js';

/** Rounds that end only when the test says so. */
class Rounds {
  readonly ends: Array<() => void> = [];
  onStart?: () => void;

  get count(): number {
    return this.ends.length;
  }

  readonly round = (): Promise<number> => {
    this.onStart?.();
    return new Promise((resolve) => this.ends.push(() => resolve(0)));
  };

  endLatest(): void {
    this.ends[this.ends.length - 1]();
  }
}

const LONG_INTERVAL_MS = 60_000;
const SETTLE_MS = 30;

describe(DeliveryLoop.name, () => {
  let sut: DeliveryLoop | undefined;
  afterEach(async () => {
    await sut?.stop();
    sut = undefined;
  });

  /** A started loop whose first round is in flight. */
  async function started(intervalMs: number, rounds = new Rounds()): Promise<[DeliveryLoop, Rounds]> {
    const loop = new DeliveryLoop(rounds.round, intervalMs);
    sut = loop;
    loop.start();
    await sleep(SETTLE_MS);
    return [loop, rounds];
  }

  /** Ends the round in flight and gives the loop time to start another. */
  async function endRound(rounds: Rounds): Promise<void> {
    rounds.endLatest();
    await sleep(SETTLE_MS);
  }

  it('runs the first round at once', async () => {
    const [loop, rounds] = await started(LONG_INTERVAL_MS);
    expect(rounds.count).toBe(1);
    expect(loop.busy).toBe(true);
    rounds.endLatest();
  });

  it('waits the interval after a round when nothing woke it', async () => {
    const [loop, rounds] = await started(LONG_INTERVAL_MS);
    await endRound(rounds);
    expect(rounds.count).toBe(1);
    expect(loop.busy).toBe(false);
  });

  it('runs the next round at once when woken during a round', async () => {
    const [loop, rounds] = await started(LONG_INTERVAL_MS);
    loop.wake();
    loop.wake();
    await endRound(rounds);
    expect(rounds.count).toBe(2);
    await endRound(rounds);
    expect(rounds.count).toBe(2);
  });

  it('runs the next round at once when the round asks for another', async () => {
    const rounds = new Rounds();
    rounds.onStart = () => {
      if (rounds.count === 0) sut?.runAgain();
    };
    await started(LONG_INTERVAL_MS, rounds);
    await endRound(rounds);
    expect(rounds.count).toBe(2);
    rounds.endLatest();
  });

  it('starts a round at once when woken while idle', async () => {
    const [loop, rounds] = await started(LONG_INTERVAL_MS);
    await endRound(rounds);
    loop.wake();
    await sleep(SETTLE_MS);
    expect(rounds.count).toBe(2);
    rounds.endLatest();
  });

  it('stops only after the round in flight has ended', async () => {
    const [loop, rounds] = await started(1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await sleep(SETTLE_MS);
    expect(stopped).toBe(false);
    rounds.endLatest();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('starts no round after stop, even when woken', async () => {
    const [loop, rounds] = await started(1);
    loop.wake();
    const stopping = loop.stop();
    rounds.endLatest();
    await stopping;
    loop.wake();
    await sleep(SETTLE_MS);
    expect(rounds.count).toBe(1);
  });

  it('can be stopped twice', async () => {
    const [loop, rounds] = await started(LONG_INTERVAL_MS);
    rounds.endLatest();
    await loop.stop();
    await expect(loop.stop()).resolves.toBeUndefined();
  });
});

describe(backoffMs.name, () => {
  it('stays within half the ceiling and the ceiling, doubling from 0.5 s up to the cap', () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffMs(1, 60_000);
      expect(first).toBeGreaterThanOrEqual(250);
      expect(first).toBeLessThan(500);
      const capped = backoffMs(30, 60_000);
      expect(capped).toBeGreaterThanOrEqual(30_000);
      expect(capped).toBeLessThan(60_000);
    }
  });
});
