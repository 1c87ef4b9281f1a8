import { Injectable } from '@nestjs/common';

/**
 * In-process counters. Labels are partner ids, purposes and outcome codes — never personal data and never
 * field names a sender invented (those are only counted).
 */
@Injectable()
export class GatewayMetrics {
  private readonly counters = new Map<string, number>();

  increment(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = `${name}${JSON.stringify(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  value(name: string, labels: Record<string, string> = {}): number {
    return this.counters.get(`${name}${JSON.stringify(labels)}`) ?? 0;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }
}
