/**
 * Token buckets by key, in memory: `requestsPerSecond` refill, up to `burst` tokens. Per process, so
 * several gateway instances each admit their own rate (documented in ADR 0012).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limitFor: (key: string) => { requestsPerSecond: number; burst: number },
    private readonly now: () => number = () => performance.now(),
    /** Bounds memory; full buckets are dropped first when the map grows past it. */
    private readonly maxKeys = 10_000,
  ) {}

  /** Takes `cost` tokens; when there are not enough, takes none and says how long to wait. */
  take(key: string, cost = 1): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const { requestsPerSecond, burst } = this.limitFor(key);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * requestsPerSecond);
    bucket.at = now;
    if (!this.buckets.has(key)) this.remember(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / requestsPerSecond)),
    };
  }

  private remember(key: string, bucket: { tokens: number; at: number }): void {
    if (this.buckets.size >= this.maxKeys) {
      const now = this.now();
      for (const [k, b] of this.buckets) {
        const { requestsPerSecond, burst } = this.limitFor(k);
        if (b.tokens + ((now - b.at) / 1000) * requestsPerSecond >= burst) this.buckets.delete(k);
      }
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, bucket);
  }
}
