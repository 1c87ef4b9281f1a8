import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { GatewayMetrics } from '../common/metrics.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import { secondsUntilExpiry, subjectCommonName } from './certificate-expiry.js';
import { CounterMirror } from './counter-mirror.js';
import { OperationsReadModel } from './infrastructure/operations.read-model.js';
import { safeLabelValue } from './label-value.js';

export const GATEWAY_METRIC_PREFIX = 'ketenpoort_gateway_';

const UNKNOWN_OUTBOX = { pending: NaN, oldestPendingAgeSeconds: NaN, deadLetters: NaN };
const UNKNOWN_AUDIT = { entries: NaN, headAgeSeconds: NaN };

/**
 * One prom-client registry per gateway app (several apps share a test process). Counters come from
 * `GatewayMetrics`; gauges are read from the database and the configuration at scrape time.
 */
@Injectable()
export class GatewayPrometheusRegistry implements OnModuleInit {
  readonly registry = new Registry();
  readonly intakeDuration: Histogram<'route' | 'method' | 'status'>;
  private readonly mirror = new CounterMirror(this.registry, GATEWAY_METRIC_PREFIX);
  private counters?: GatewayMetrics;
  private active?: ActiveConfiguration;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly readModel: OperationsReadModel,
    private readonly moduleRef: ModuleRef,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: GATEWAY_METRIC_PREFIX });
    const p = GATEWAY_METRIC_PREFIX;
    const registers = [this.registry];
    this.intakeDuration = new Histogram({
      name: `${p}intake_request_duration_seconds`,
      help: 'Duration of requests on the partner listener, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    // A database outage shows as NaN gauges, not as a failed scrape.
    const outbox = () => this.readModel.outbox().catch(() => UNKNOWN_OUTBOX);
    new Gauge({
      name: `${p}outbox_pending`,
      help: 'Outbox rows waiting for delivery to the register',
      registers,
      async collect() {
        this.set((await outbox()).pending);
      },
    });
    new Gauge({
      name: `${p}outbox_oldest_pending_age_seconds`,
      help: 'Age of the oldest outbox row waiting for delivery (0 when none waits)',
      registers,
      async collect() {
        this.set((await outbox()).oldestPendingAgeSeconds);
      },
    });
    new Gauge({
      name: `${p}outbox_dead_letters`,
      help: 'Outbox rows given up on (dead-lettered); each needs an operator',
      registers,
      async collect() {
        this.set((await outbox()).deadLetters);
      },
    });
    const audit = () => this.readModel.audit().catch(() => UNKNOWN_AUDIT);
    new Gauge({
      name: `${p}audit_entries`,
      help: 'Entries in the audit log',
      registers,
      async collect() {
        this.set((await audit()).entries);
      },
    });
    new Gauge({
      name: `${p}audit_checkpoint_age_seconds`,
      help: 'Age of the newest signed audit checkpoint (-1 when none yet)',
      registers,
      async collect() {
        this.set((await audit()).headAgeSeconds);
      },
    });
    const certificates = () => this.certificates();
    new Gauge({
      name: `${p}certificate_expiry_seconds`,
      help: 'Seconds until a certificate expires: the server certificate, the client certificate for the register, each partner CA',
      labelNames: ['kind', 'name'],
      registers,
      collect() {
        this.reset();
        for (const c of certificates()) this.set({ kind: c.kind, name: c.name }, c.seconds);
      },
    });
    const enforced = () => this.active?.versionsEnforced();
    new Gauge({
      name: `${p}active_policy`,
      help: '1 when an approved policy is enforced by this instance, else 0',
      registers,
      collect() {
        this.set(enforced()?.policy ? 1 : 0);
      },
    });
  }

  onModuleInit(): void {
    // Providers of the gateway module proper (this module is imported by it, so they are not injectable).
    this.counters = this.moduleRef.get(GatewayMetrics, { strict: false });
    this.active = this.moduleRef.get(ActiveConfiguration, { strict: false });
  }

  /** The exposition text (Prometheus format). */
  async scrape(): Promise<string> {
    if (this.counters) this.mirror.sync(this.counters.snapshot());
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private certificates(): { kind: string; name: string; seconds: number }[] {
    const result: { kind: string; name: string; seconds: number }[] = [];
    const add = (kind: string, name: string, pem: string) => {
      const seconds = secondsUntilExpiry(pem);
      if (seconds !== null) result.push({ kind, name: safeLabelValue(name), seconds });
    };
    add('server', 'gateway', this.config.tls.certPem);
    add('client', 'register-forwarding', this.config.register.clientCertPem);
    // The partner table holds CA certificates, not partner certificates: expiry is watched per partner CA.
    const named = caNames(this.config.partnersSource.content);
    for (const pem of this.active?.caBundle ?? []) {
      add('partner-ca', named.get(pem.trim()) ?? subjectCommonName(pem) ?? 'unnamed', pem);
    }
    return result;
  }
}

function caNames(partnersSource: string): Map<string, string> {
  try {
    const { caCertificates } = JSON.parse(partnersSource) as { caCertificates?: Record<string, string> };
    return new Map(Object.entries(caCertificates ?? {}).map(([name, pem]) => [pem.trim(), name]));
  } catch {
    return new Map();
  }
}
