import type { LoggerService } from '@nestjs/common';
import type { JSONWebKeySet, JWK } from 'jose';
import { ACCESS_LOG_LEVELS, isAccessLogLevel, type AccessLogLevel } from '@ketenpoort/logging';
import type { KeyRing } from '@ketenpoort/pseudonymisation';
import { consoleConfigProblems, type ConsoleConfig } from './console/console.config.js';

/** Everything the gateway needs, resolved and checked before it starts. */
export interface GatewayConfig {
  mode: 'dev' | 'production';
  /** Identifies this gateway (JWS issuer). */
  gatewayId: string;
  databaseUrl: string;
  databasePoolSize?: number;
  host: string;
  /** 0 picks a free port. */
  partnerPort: number;
  tls: { certPem: string; keyPem: string };
  /** Distinguishes instances sharing one database (each reports what it enforces). */
  instanceId: string;
  /** Proposals from files: enforced only once approved (the dev mode's first start bootstraps them). */
  policySource: { path: string; content: string };
  /** The partner table as a governed document: JSON of { partnersYaml, caCertificates }. */
  partnersSource: { path: string; content: string };
  admin: {
    /** 0 picks a free port. */
    port: number;
    tokens: { issuer: string; audience: string; jwks?: JSONWebKeySet; jwksUrl?: string };
  };
  governance: { refreshIntervalMs: number };
  audit: {
    /** Names this log in its checkpoints. */
    origin: string;
    /** Private Ed25519 JWK (with kid) that signs checkpoints; its public half is published as JWKS. */
    signingKey: JWK;
    /** Public keys of the audit signing key (for verification and export). */
    jwks: JSONWebKeySet;
    checkpointIntervalMs: number;
  };
  keyRing: KeyRing;
  /** Private Ed25519 JWK (with `kid`) that signs forwarded records. */
  signingKey: JWK;
  register: {
    intakeUrl: string;
    registerId: string;
    clientCertPem: string;
    clientKeyPem: string;
    caPems: string[];
    /** The register's public receipt keys. */
    receiptJwks: JSONWebKeySet;
  };
  limits: { maxBodyBytes: number };
  /**
   * Token bucket per partner, per instance (N instances admit up to N times the rate): the default for
   * partners without their own `rateLimit` in the approved partner table.
   */
  rateLimit?: RateLimit;
  /** Timeouts of both listeners (slow clients, idle connections, TLS sessions). */
  listeners?: ListenerLimits;
  /** CRLs of the partner CAs; re-read every refreshIntervalMs and on `reloadRevocations()`. */
  revocation?: { crlPaths: string[]; refreshIntervalMs: number };
  outbox: {
    pollIntervalMs: number;
    batchSize: number;
    maxBackoffMs: number;
    leaseMs: number;
    requestTimeoutMs: number;
  };
  /** The privacy officer's web console under /console on the admin listener; absent = no console. */
  console?: ConsoleConfig;
  /** The data's life cycle: how often the register's retention reports are pulled into the audit log. */
  lifecycle?: { retentionPullIntervalMs?: number };
  logger?: LoggerService;
  /** The level of the access line written for every request on both listeners; default `log`, `off` for none. */
  accessLog?: AccessLogLevel;
}

export const DEFAULT_LIMITS: GatewayConfig['limits'] = { maxBodyBytes: 256 * 1024 };

export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}
export const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 50, burst: 100 };

export interface ListenerLimits {
  /** A TLS handshake not finished by then is dropped. */
  handshakeTimeoutMs: number;
  /** All request headers must have arrived by then (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived by then. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic at all is closed after this. */
  idleTimeoutMs: number;
  /** TLS session lifetime for resumption; tickets are off, so a revoked certificate cannot resume. */
  tlsSessionTimeoutSeconds: number;
}
export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  handshakeTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  tlsSessionTimeoutSeconds: 60,
};
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;

export const DEFAULT_GOVERNANCE: GatewayConfig['governance'] = { refreshIntervalMs: 5_000 };

export const DEFAULT_OUTBOX: GatewayConfig['outbox'] = {
  pollIntervalMs: 250,
  batchSize: 20,
  maxBackoffMs: 60_000,
  leaseMs: 30_000,
  requestTimeoutMs: 10_000,
};

/** Refuses a configuration that must not run, with a message that says what to fix. */
export function assertGatewayConfig(config: GatewayConfig, isDevCa: (pem: string) => boolean): void {
  const problems: string[] = [];
  if (!config.databaseUrl) problems.push('databaseUrl is missing');
  if (!Number.isInteger(config.partnerPort) || config.partnerPort < 0 || config.partnerPort > 65535)
    problems.push('partnerPort must be a port number');
  if (config.signingKey?.crv !== 'Ed25519' || !config.signingKey.d || !config.signingKey.kid)
    problems.push('signingKey must be a private Ed25519 JWK with a kid');
  if (!config.register?.receiptJwks?.keys?.length) problems.push('register.receiptJwks holds no key');
  if (
    config.audit?.signingKey?.crv !== 'Ed25519' ||
    !config.audit.signingKey.d ||
    !config.audit.signingKey.kid
  )
    problems.push('audit.signingKey must be a private Ed25519 JWK with a kid');
  if (config.limits.maxBodyBytes < 1024) problems.push('limits.maxBodyBytes must be at least 1024');
  const rate = config.rateLimit;
  if (rate && (!(rate.requestsPerSecond > 0) || !(rate.burst >= 1)))
    problems.push('rateLimit needs requestsPerSecond > 0 and burst >= 1');
  const l = config.listeners;
  if (l && l.headersTimeoutMs > l.requestTimeoutMs)
    problems.push('listeners.headersTimeoutMs must be <= requestTimeoutMs');
  if (config.revocation && !(config.revocation.refreshIntervalMs >= 1000))
    problems.push('revocation.refreshIntervalMs must be at least 1000');
  const tokens = config.admin?.tokens;
  if (!tokens?.issuer || !tokens.audience || !(tokens.jwks || tokens.jwksUrl))
    problems.push('admin.tokens needs issuer, audience and a JWKS (file or URL)');
  problems.push(...consoleConfigProblems(config.console));
  if (config.accessLog !== undefined && !isAccessLogLevel(config.accessLog))
    problems.push(`accessLog must be one of ${ACCESS_LOG_LEVELS.join(', ')}`);
  if (config.mode !== 'dev') {
    const { caCertificates } = JSON.parse(config.partnersSource.content) as {
      caCertificates: Record<string, string>;
    };
    const devCas = [...Object.values(caCertificates), ...config.register.caPems].filter(isDevCa).length;
    if (devCas > 0) problems.push('a dev CA is configured outside dev mode; configure the production CAs');
  }
  if (config.mode !== 'dev' && process.env.KETENPOORT_FAULT_POINT)
    problems.push('KETENPOORT_FAULT_POINT is a test-only setting and is refused outside dev mode');
  if (problems.length) throw new Error(`gateway configuration refused: ${problems.join('; ')}`);
}
