import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { TLSSocket } from 'node:tls';
import { identityFromPeerCertificate } from '@ketenpoort/pki';
import { GatewayError } from '../common/gateway-error.js';
import { LISTENER, type ListenerName } from '../common/listener.js';
import { GatewayMetrics } from '../common/metrics.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import { DEFAULT_RATE_LIMIT, type GatewayConfig, type RateLimit } from '../gateway.config.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import { TokenBuckets } from './token-bucket.js';

/** 429: the partner sent more than its rate; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends GatewayError {
  constructor(readonly retryAfterSeconds: number) {
    super('PARTNER.RATE_LIMITED', 'too many requests; retry after the time in Retry-After');
  }
}

/** Key of every trusted certificate that belongs to no partner: they share one bucket. */
const UNKNOWN_PARTNER = '\u0000unknown';

/**
 * Per-partner rate limit on the partner listener, before the body is read or parsed (so a flood costs
 * no parsing and no audit writes). The partner is the one its verified client certificate names; a
 * trusted certificate of no partner shares one bucket with all such certificates. The limit is the
 * partner's own `rateLimit` in the approved partner table, else the gateway-wide `rateLimit`. In memory,
 * per instance.
 */
@Injectable()
export class PartnerRateLimiter {
  private readonly buckets: TokenBuckets;
  private readonly keyBySocket = new WeakMap<TLSSocket, { key: string; partnersVersion: unknown }>();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly active: ActiveConfiguration,
    private readonly metrics: GatewayMetrics,
  ) {
    const fallback: RateLimit = config.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.buckets = new TokenBuckets((key) => this.ownLimit(key) ?? fallback);
  }

  /**
   * Takes `cost` requests' worth for the partner (the batch endpoint can charge per line).
   * Throws RateLimitedError when the bucket is empty.
   */
  charge(partnerKey: string, cost = 1): void {
    const answer = this.buckets.take(partnerKey, cost);
    if (!answer.allowed) {
      this.metrics.increment('partner_rate_limited_total', {
        partner: partnerKey === UNKNOWN_PARTNER ? 'unknown' : partnerKey,
      });
      throw new RateLimitedError(answer.retryAfterSeconds);
    }
  }

  /** Express middleware for the partner listener; other listeners pass through. */
  middleware() {
    return (req: Request, _res: Response, next: NextFunction): void => {
      if ((req as Request & { [LISTENER]?: ListenerName })[LISTENER] !== 'partner') return next();
      try {
        const key = this.partnerKey(req.socket as TLSSocket);
        if (key) this.charge(key);
        next();
      } catch (error) {
        next(error);
      }
    };
  }

  /**
   * The partner's limit in the partner table enforced right now: read on every request, so an approved
   * change applies at the next request, without a restart (a lower burst caps the tokens left at once).
   */
  private ownLimit(key: string): RateLimit | undefined {
    if (key === UNKNOWN_PARTNER || this.active.versionsEnforced().partners === null) return undefined;
    return this.active.partners.byId(key)?.rateLimit;
  }

  /** The partner id of the socket's verified certificate; null when there is none (the guard refuses). */
  private partnerKey(socket: TLSSocket): string | null {
    if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return null;
    const version = this.active.versionsEnforced().partners;
    const cached = this.keyBySocket.get(socket);
    if (cached && cached.partnersVersion === version) return cached.key;
    const peer = socket.getPeerCertificate(true);
    if (!peer?.raw) return null;
    let key = UNKNOWN_PARTNER;
    try {
      key = this.active.partners.resolve(identityFromPeerCertificate(peer))?.id ?? UNKNOWN_PARTNER;
    } catch {
      // No partner table active yet: the guard answers; count the request against the shared bucket.
    }
    this.keyBySocket.set(socket, { key, partnersVersion: version });
    return key;
  }
}
