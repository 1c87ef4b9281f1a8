import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../../common/gateway-error.js';

/** 429 for an officer past the lookup rate; `retryAfterSeconds` becomes the Retry-After header. */
export class SubjectLookupRateLimitedError extends GatewayError {
  constructor(readonly retryAfterSeconds: number) {
    super('AUDIT.LOOKUP_RATE_LIMITED', 'too many subject lookups; retry after the time in Retry-After');
  }
}

/** Lookups per officer per window (a sliding window, in memory, per gateway instance). */
export const SUBJECT_LOOKUP_RATE = { lookups: 10, windowMs: 60_000 };

/**
 * Limits subject lookups per officer (token `sub`): at most 10 in any minute. In memory and per instance —
 * with N instances an officer gets at most N×10 a minute; every lookup is audited whatever the limit.
 */
@Injectable()
export class SubjectLookupRateLimiter {
  private readonly recent = new Map<string, number[]>();

  private readonly rate = SUBJECT_LOOKUP_RATE;

  /** Counts one lookup for `officer`, or throws SubjectLookupRateLimitedError. */
  take(officer: string, now = Date.now()): void {
    const since = now - this.rate.windowMs;
    const times = (this.recent.get(officer) ?? []).filter((t) => t > since);
    if (times.length >= this.rate.lookups) {
      this.recent.set(officer, times);
      throw new SubjectLookupRateLimitedError(Math.max(1, Math.ceil((times[0] - since) / 1000)));
    }
    times.push(now);
    this.recent.set(officer, times);
    if (this.recent.size > 10_000) this.forgetIdle(since);
  }

  private forgetIdle(since: number): void {
    for (const [officer, times] of this.recent) {
      if (times.every((t) => t <= since)) this.recent.delete(officer);
    }
  }
}
