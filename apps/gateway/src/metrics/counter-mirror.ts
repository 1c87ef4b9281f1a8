import { Counter, type Registry } from 'prom-client';
import { safeLabelValue } from './label-value.js';

/**
 * Mirrors the in-process counters of `GatewayMetrics` (keys `name{"label":"value"}`) into prom-client
 * counters under a prefix, at scrape time. Counters appear on their first increment; a counter whose
 * label set grows is re-registered with the wider set.
 */
export class CounterMirror {
  private readonly counters = new Map<string, { counter: Counter<string>; labelNames: string[] }>();

  constructor(
    private readonly registry: Registry,
    private readonly prefix: string,
  ) {}

  sync(snapshot: Record<string, number>): void {
    const byName = new Map<string, { labels: Record<string, string>; value: number }[]>();
    for (const [key, value] of Object.entries(snapshot)) {
      const brace = key.indexOf('{');
      const name = brace < 0 ? key : key.slice(0, brace);
      const labels = brace < 0 ? {} : (JSON.parse(key.slice(brace)) as Record<string, string>);
      if (!/^[a-z][a-z0-9_]*$/.test(name)) continue;
      byName.set(name, [...(byName.get(name) ?? []), { labels, value }]);
    }
    for (const [name, series] of byName) {
      const labelNames = [...new Set(series.flatMap((s) => Object.keys(s.labels)))]
        .filter((label) => /^[a-z][a-zA-Z0-9_]*$/.test(label))
        .sort();
      const counter = this.counterFor(name, labelNames);
      counter.reset();
      for (const { labels, value } of series) {
        const safe = Object.fromEntries(
          labelNames.map((label) => [
            label,
            labels[label] === undefined ? '' : safeLabelValue(labels[label]),
          ]),
        );
        counter.inc(safe, value);
      }
    }
  }

  private counterFor(name: string, labelNames: string[]): Counter<string> {
    const existing = this.counters.get(name);
    if (existing && labelNames.every((l) => existing.labelNames.includes(l))) return existing.counter;
    const fullName = `${this.prefix}${name}`;
    if (existing) this.registry.removeSingleMetric(fullName);
    const counter = new Counter({
      name: fullName,
      help: `${name.replace(/_/g, ' ')} (counted by the gateway)`,
      labelNames,
      registers: [this.registry],
    });
    this.counters.set(name, { counter, labelNames });
    return counter;
  }
}
