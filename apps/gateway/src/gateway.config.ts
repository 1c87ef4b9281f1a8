import type { LoggerService } from '@nestjs/common';
import type { JSONWebKeySet, JWK } from 'jose';
import type { PartnerDirectory } from '@ketenpoort/pki';
import type { Policy } from '@ketenpoort/policy';
import type { KeyRing } from '@ketenpoort/pseudonymisation';

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
  partners: PartnerDirectory;
  policy: Policy;
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
  outbox: {
    pollIntervalMs: number;
    batchSize: number;
    maxBackoffMs: number;
    leaseMs: number;
    requestTimeoutMs: number;
  };
  logger?: LoggerService;
}

export const DEFAULT_LIMITS: GatewayConfig['limits'] = { maxBodyBytes: 256 * 1024 };
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
  if (config.limits.maxBodyBytes < 1024) problems.push('limits.maxBodyBytes must be at least 1024');
  if (config.mode !== 'dev') {
    const devCas =
      config.partners.caBundle().filter(isDevCa).length + config.register.caPems.filter(isDevCa).length;
    if (devCas > 0) problems.push('a dev CA is configured outside dev mode; configure the production CAs');
  }
  if (problems.length) throw new Error(`gateway configuration refused: ${problems.join('; ')}`);
}
