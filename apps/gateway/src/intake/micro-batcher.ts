/** The outcome of one member of a group: its value, or the error that member alone ends with. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface MicroBatcherOptions {
  /** A group is flushed as soon as it holds this many items. */
  maxItems: number;
  /** An item waits at most this long for others before its group is flushed (0: flush when idle). */
  maxWaitMs: number;
  /** Groups in flight at once; while they run, new items queue up and form the next group. */
  concurrency: number;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Collects items submitted concurrently into groups and runs each group once (group commit). Under low
 * load an item runs alone after at most `maxWaitMs`; under load, items queue while a group runs and the
 * next group takes up to `maxItems` of them. Each caller gets its own member's outcome.
 *
 * @example
 * const batcher = new MicroBatcher((keys) => repo.findMany(keys), { maxItems: 500, maxWaitMs: 1, concurrency: 1 });
 * const found = await batcher.submit(key);
 */
export class MicroBatcher<I, O> {
  private readonly queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: (items: I[]) => Promise<Array<Settled<O>>>,
    private readonly options: MicroBatcherOptions,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Items waiting for a group (for metrics and tests). */
  get waiting(): number {
    return this.queue.length;
  }

  /** `immediate`: the queued items already waited (a group just finished), so they go now. */
  private pump(immediate = false): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      if (!immediate && this.queue.length < this.options.maxItems && this.options.maxWaitMs > 0) {
        // Give concurrent callers a moment to join this group.
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.flush();
        }, this.options.maxWaitMs);
        return;
      }
      this.flush();
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const group = this.queue.splice(0, this.options.maxItems);
    this.inFlight++;
    void this.runGroup(group).finally(() => {
      this.inFlight--;
      this.pump(true);
    });
  }

  private async runGroup(group: Array<Waiting<I, O>>): Promise<void> {
    let outcomes: Array<Settled<O>>;
    try {
      outcomes = await this.run(group.map((w) => w.item));
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) w.resolve(outcome.value);
      else w.reject(outcome ? outcome.error : new Error('INTAKE.GROUP_OUTCOME_MISSING'));
    });
  }
}
