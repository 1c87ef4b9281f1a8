import { describe, expect, it } from '@jest/globals';
import type { PartnerConfig, PartnerRateLimit } from '@ketenpoort/pki';
import { GatewayMetrics } from '../common/metrics.js';
import type { GatewayConfig } from '../gateway.config.js';
import type { ActiveConfiguration } from '../governance/active-configuration.js';
import { PartnerRateLimiter, RateLimitedError } from './partner-rate-limit.middleware.js';

/** Refill so slow that it never matters within a test: only the burst decides. */
const SLOW = 0.001;

/** An ActiveConfiguration whose approved partner table the test swaps, as an approval would. */
class FakeActive {
  version: string | null = null;
  private limits: Record<string, PartnerRateLimit | undefined> = {};

  activate(version: string, limits: Record<string, PartnerRateLimit | undefined>): void {
    this.version = version;
    this.limits = limits;
  }

  versionsEnforced() {
    return { policy: null, shadowPolicy: null, partners: this.version };
  }

  get partners() {
    return {
      byId: (id: string) =>
        id in this.limits ? ({ id, rateLimit: this.limits[id] } as PartnerConfig) : undefined,
    };
  }
}

function setup(defaultLimit = { requestsPerSecond: SLOW, burst: 5 }) {
  const active = new FakeActive();
  const metrics = new GatewayMetrics();
  const sut = new PartnerRateLimiter(
    { rateLimit: defaultLimit } as GatewayConfig,
    active as unknown as ActiveConfiguration,
    metrics,
  );
  /** How many of `n` requests the partner gets through. */
  const admitted = (partner: string, n: number) => {
    let count = 0;
    for (let i = 0; i < n; i++) {
      try {
        sut.charge(partner);
        count++;
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
      }
    }
    return count;
  };
  return { sut, active, metrics, admitted };
}

describe(PartnerRateLimiter.name, () => {
  it("limits a partner to its own rate from the approved partner table, others to the gateway's", () => {
    const { active, admitted } = setup();
    active.activate('v1', { kmar: { requestsPerSecond: SLOW, burst: 2 }, politie: undefined });
    expect({ kmar: admitted('kmar', 10), politie: admitted('politie', 10) }).toEqual({ kmar: 2, politie: 5 });
  });

  it('answers with the wait in Retry-After seconds and counts the refusal by partner id', () => {
    const { sut, active, metrics } = setup();
    active.activate('v1', { kmar: { requestsPerSecond: 0.5, burst: 1 } });
    sut.charge('kmar');
    let refusal: unknown;
    try {
      sut.charge('kmar');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ code: 'PARTNER.RATE_LIMITED', retryAfterSeconds: 2 });
    expect(metrics.value('partner_rate_limited_total', { partner: 'kmar' })).toBe(1);
    expect(metrics.value('partner_rate_limited_total', { partner: 'politie' })).toBe(0);
  });

  it('applies a newly approved limit at the next request, capping what is left of the old burst', () => {
    const { active, admitted } = setup({ requestsPerSecond: SLOW, burst: 100 });
    active.activate('v1', { kmar: undefined });
    expect(admitted('kmar', 3)).toBe(3);
    active.activate('v2', { kmar: { requestsPerSecond: SLOW, burst: 2 } });
    expect(admitted('kmar', 10)).toBe(2);
  });

  it('uses the gateway default while no partner table is active', () => {
    const { admitted } = setup({ requestsPerSecond: SLOW, burst: 4 });
    expect(admitted('kmar', 10)).toBe(4);
  });
});
