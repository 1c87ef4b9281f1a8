import { randomInt } from 'node:crypto';

/** Exponential backoff with full jitter, capped: 0.5 s, 1 s, 2 s … up to the cap. */
export function backoffMs(attempt: number, capMs: number): number {
  const ceiling = Math.min(capMs, 500 * 2 ** Math.min(attempt - 1, 20));
  return Math.max(100, randomInt(Math.floor(ceiling / 2), Math.max(Math.floor(ceiling / 2) + 1, ceiling)));
}

/**
 * The poll loop of an outbox worker: one round at a time, the next `intervalMs` after the last one ended
 * (at once when a wake or `runAgain` came during it). `stop` is for `beforeApplicationShutdown`: no round
 * starts after it, and it resolves when the round in flight has ended; calling it again is harmless.
 */
export class DeliveryLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private again = false;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  /** Whether a round is in flight. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  start(): void {
    this.schedule(0);
  }

  /** A round now, or right after the one in flight. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** The next round follows this one at once instead of after the interval. */
  runAgain(): void {
    this.again = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round()
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.intervalMs);
        });
    }, delay);
  }
}
