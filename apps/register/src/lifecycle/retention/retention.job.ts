import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { REGISTER_CONFIG, REGISTER_LOGGER, type RegisterConfig } from '../../register.config.js';
import { RECORD_REMOVAL_STORE, type RecordRemovalStore } from '../record-removal.js';

/** Default: once a day. */
export const DEFAULT_RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * Storage limitation (GDPR art. 5(1)(e)): deletes every record whose `retainUntil` has passed — relinking the
 * persons, leaving a tombstone — and writes a report of counts per purpose (never contents) that the gateway
 * pulls, signed, into its audit log.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(REGISTER_CONFIG) private readonly config: RegisterConfig,
    @Inject(REGISTER_LOGGER) private readonly logger: LoggerService,
    @Inject(RECORD_REMOVAL_STORE) private readonly store: RecordRemovalStore,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.retention?.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((error: unknown) =>
          this.logger.warn({
            message: 'retention run failed',
            errorCode: (error as { code?: string })?.code ?? null,
          }),
        )
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One run: deletes what is past retention on `today` (ISO date); returns the counts per purpose. */
  async run(today = new Date().toISOString().slice(0, 10)): Promise<{ purpose: string; count: number }[]> {
    const deleted = await this.store.inTransaction(async (tx) => {
      const due = await tx.recordsPastRetention(today);
      const counts = new Map<string, number>();
      for (const recordId of due) {
        const outcome = await tx.remove(recordId, { cause: 'retention' });
        if (outcome.removed && outcome.purpose)
          counts.set(outcome.purpose, (counts.get(outcome.purpose) ?? 0) + 1);
      }
      const perPurpose = [...counts]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([purpose, count]) => ({ purpose, count }));
      if (perPurpose.length)
        await tx.addRetentionReport({ reportId: randomUUID(), ranAt: new Date(), deleted: perPurpose });
      return perPurpose;
    });
    this.logger.log({ message: 'retention run', deleted });
    return deleted;
  }
}
