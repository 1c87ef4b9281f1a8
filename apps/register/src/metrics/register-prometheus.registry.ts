import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { RegisterCountsReadModel } from './infrastructure/register-counts.read-model.js';

export const REGISTER_METRIC_PREFIX = 'ketenpoort_register_';

/** One prom-client registry per register app; labels are outcomes and error codes only. */
@Injectable()
export class RegisterPrometheusRegistry {
  readonly registry = new Registry();
  readonly deliveries: Counter<'outcome' | 'code'>;

  constructor(readModel: RegisterCountsReadModel) {
    collectDefaultMetrics({ register: this.registry, prefix: REGISTER_METRIC_PREFIX });
    const p = REGISTER_METRIC_PREFIX;
    const registers = [this.registry];
    this.deliveries = new Counter({
      name: `${p}deliveries_total`,
      help: 'Record deliveries from the gateway: stored, replayed (idempotent repeat) or refused, by error code',
      labelNames: ['outcome', 'code'],
      registers,
    });
    // A database outage shows as NaN gauges, not as a failed scrape.
    const counts = () => readModel.counts().catch(() => ({ records: NaN, persons: NaN }));
    new Gauge({
      name: `${p}records`,
      help: 'Records stored in the register',
      registers,
      async collect() {
        this.set((await counts()).records);
      },
    });
    new Gauge({
      name: `${p}persons`,
      help: 'Persons (linked groups of records) in the register',
      registers,
      async collect() {
        this.set((await counts()).persons);
      },
    });
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
