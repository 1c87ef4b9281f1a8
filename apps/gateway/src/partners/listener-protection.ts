import type { LoggerService } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import { constants } from 'node:crypto';
import type { Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { ListenerLimits } from '../gateway.config.js';
import type { GatewayMetrics } from '../common/metrics.js';

/**
 * Server options every listener gets: bounded handshake, headers, request and keep-alive times (the
 * connection checker runs every second so the bounds hold within a second), short TLS sessions and no
 * session tickets — a resumed session skips certificate verification, so resumption must not outlive
 * a revocation by more than the session lifetime, and a CRL reload (a new secure context) ends it.
 */
export function listenerServerOptions(limits: ListenerLimits) {
  return {
    handshakeTimeout: limits.handshakeTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    ...tlsSessionOptions(limits),
  };
}

/** The TLS context options that must survive every `setSecureContext` (it resets what it is not given). */
export function tlsSessionOptions(limits: ListenerLimits) {
  return {
    minVersion: 'TLSv1.2' as const,
    sessionTimeout: limits.tlsSessionTimeoutSeconds,
    secureOptions: constants.SSL_OP_NO_TICKET,
  };
}

/**
 * Idle timeout and logging of refused handshakes. TLS refusals never reach HTTP, so they cannot be
 * audited per partner; they are logged with the reason code only (and counted).
 */
export function protectListener(
  server: Server,
  name: 'partner' | 'admin',
  limits: ListenerLimits,
  logger: LoggerService,
  metrics: GatewayMetrics,
): void {
  server.setTimeout(limits.idleTimeoutMs);
  server.on('tlsClientError', (error: Error & { code?: string }) => {
    const reason = error.code ?? 'TLS_ERROR';
    metrics.increment('tls_refused_total', { listener: name, reason });
    logger.warn({ msg: 'TLS connection refused', listener: name, reason }, 'Tls');
  });
}

/**
 * Mutual TLS on the partner listener, checked here instead of by Node's `rejectUnauthorized` (which
 * drops the socket silently): a peer without a verified certificate, or with one that is revoked or not
 * covered by a CRL, is disconnected before any HTTP is read, and the reason code is logged. Returns
 * `recheck()`, which disconnects open (keep-alive) connections whose certificate is no longer good.
 */
export function requireVerifiedPeers(
  server: Server,
  status: (certDer: Buffer) => 'good' | 'revoked' | 'no-crl',
  logger: LoggerService,
  metrics: GatewayMetrics,
): { recheck(): number; open(): number } {
  const open = new Set<TLSSocket>();
  const refuse = (socket: TLSSocket, reason: string) => {
    metrics.increment('tls_refused_total', { listener: 'partner', reason });
    logger.warn({ msg: 'TLS connection refused', listener: 'partner', reason }, 'Tls');
    socket.destroy();
  };
  const verdict = (socket: TLSSocket): string | null => {
    if (!socket.authorized) return String(socket.authorizationError ?? 'NO_CERTIFICATE');
    const raw = socket.getPeerCertificate()?.raw;
    if (!raw) return 'NO_CERTIFICATE';
    const s = status(raw);
    return s === 'good' ? null : s === 'revoked' ? 'CERT_REVOKED' : 'CRL_MISSING';
  };
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const reason = verdict(socket);
    if (reason) return refuse(socket, reason);
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    recheck() {
      let closed = 0;
      for (const socket of open) {
        const reason = verdict(socket);
        if (reason) {
          open.delete(socket);
          refuse(socket, reason);
          closed++;
        }
      }
      return closed;
    },
    open: () => open.size,
  };
}

/**
 * Body-parser `verify`: JSON must be UTF-8 (RFC 8259 §8.1); a decoder would otherwise turn invalid bytes
 * into U+FFFD and accept a body the sender never wrote. 400 (see error-response.ts), bytes not quoted.
 */
export function requireUtf8Body(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw Object.assign(new Error('the body is not valid UTF-8'), { type: 'body.not.utf8' });
}

/**
 * Body-parser `reviver`: a member named like an Object.prototype property (`__proto__`, `constructor`,
 * `toString`, ...) or `prototype` is refused as malformed JSON. No signal field has such a name, and
 * class-validator's unknown-field check does not see them (they are "known" to every object).
 */
export function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === 'prototype' || (key !== '' && Object.prototype.hasOwnProperty.call(Object.prototype, key)))
    throw new SyntaxError('reserved member name');
  return value;
}
