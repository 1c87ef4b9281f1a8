import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import { OperationsReadModel } from '../metrics/infrastructure/operations.read-model.js';
import { probeRegister } from './register-reachability.js';

export const GATEWAY_HEALTH_OPTIONS = Symbol('GATEWAY_HEALTH_OPTIONS');

export interface GatewayHealthOptions {
  /** Readiness fails when the oldest undelivered outbox row is older than this. Default 5 minutes. */
  outboxLagThresholdSeconds: number;
  /** Each check gives up after this long. Default 3 seconds. */
  checkTimeoutMs: number;
}

export const DEFAULT_GATEWAY_HEALTH: GatewayHealthOptions = {
  outboxLagThresholdSeconds: 300,
  checkTimeoutMs: 3_000,
};

/** The readiness checks of one gateway instance. Results carry states and versions, never data. */
@Injectable()
export class GatewayReadinessIndicator implements OnModuleInit {
  private active?: ActiveConfiguration;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_HEALTH_OPTIONS) private readonly options: GatewayHealthOptions,
    private readonly readModel: OperationsReadModel,
    private readonly health: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.active = this.moduleRef.get(ActiveConfiguration, { strict: false });
  }

  database() {
    return this.health
      .check('database')
      .attempt(() => this.readModel.ping())
      .withTimeout(this.options.checkTimeoutMs);
  }

  keyRing() {
    const session = this.health.check('keyRing');
    const ring = this.config.keyRing;
    try {
      const version = ring.currentVersion;
      return session.up({ currentVersion: version, fingerprint: ring.fingerprint(version) });
    } catch {
      return session.down({ message: 'no key ring loaded' });
    }
  }

  policy() {
    const session = this.health.check('policy');
    const enforced = this.active?.versionsEnforced();
    return enforced?.policy && enforced.partners
      ? session.up({ version: enforced.policy, partnersVersion: enforced.partners })
      : session.down({ message: 'no approved policy or partner table is enforced yet' });
  }

  register() {
    const { intakeUrl, clientCertPem, clientKeyPem, caPems } = this.config.register;
    return this.health
      .check('register')
      .attempt(({ signal }) =>
        probeRegister(intakeUrl, { certPem: clientCertPem, keyPem: clientKeyPem, caPems }, signal),
      )
      .withTimeout(this.options.checkTimeoutMs);
  }

  async outbox() {
    const session = this.health.check('outbox');
    const threshold = this.options.outboxLagThresholdSeconds;
    try {
      const stats = await this.readModel.outbox();
      const data = {
        pending: stats.pending,
        oldestPendingAgeSeconds: Math.round(stats.oldestPendingAgeSeconds),
        thresholdSeconds: threshold,
        deadLetters: stats.deadLetters,
      };
      return stats.oldestPendingAgeSeconds <= threshold ? session.up(data) : session.down(data);
    } catch {
      return session.down({ message: 'outbox not readable' });
    }
  }
}
