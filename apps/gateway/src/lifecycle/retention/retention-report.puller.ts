import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { LifecycleSigner } from '../delivery/lifecycle.signer.js';
import { RegisterLifecycleClient } from '../delivery/register-lifecycle.client.js';
import { RetentionReportRepository } from '../infrastructure/retention-report.repository.js';

/** Default: every hour (the register's job runs daily). */
export const DEFAULT_RETENTION_PULL_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Pulls the register's signed retention reports (counts per purpose, never contents) over mTLS and appends
 * one `register.retention-deleted` audit entry per report, exactly once (the report id is remembered in
 * the same transaction as the entry).
 */
@Injectable()
export class RetentionReportPuller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly reports: RetentionReportRepository,
    private readonly client: RegisterLifecycleClient,
    private readonly signer: LifecycleSigner,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.lifecycle?.retentionPullIntervalMs ?? DEFAULT_RETENTION_PULL_INTERVAL_MS;
    this.timer = setInterval(() => void this.pull().catch(() => undefined), interval);
    this.timer.unref();
  }

  /** Stops polling and waits for the round in flight, while the register client and database are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Pulls and audits every report not audited yet; returns how many were new. */
  pull(): Promise<number> {
    this.running ??= this.pullOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pullOnce(): Promise<number> {
    let added = 0;
    for (;;) {
      const after = await this.reports.lastSeq();
      const answer = await this.client.retentionReports(after);
      if (answer.status !== 200) throw new Error(`REGISTER.HTTP_${answer.status}`);
      const { reports } = JSON.parse(answer.body.toString('utf8')) as { reports: string[] };
      if (!Array.isArray(reports) || reports.length === 0) return added;
      for (const jws of reports) {
        const report = await this.signer.verifyRetentionReport(jws);
        const stored = await this.reports.record(report.reportId, report.seq, {
          event: 'register.retention-deleted',
          at: new Date().toISOString(),
          correlationId: randomUUID(),
          actor: this.config.register.registerId,
          reason: 'retention',
          lifecycle: { reportId: report.reportId, deleted: report.deleted, registerJws: jws },
        });
        if (stored) added++;
        this.logger.log(
          { msg: 'retention report audited', reportId: report.reportId, deleted: report.deleted },
          'Lifecycle',
        );
      }
    }
  }
}
