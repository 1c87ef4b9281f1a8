import type { LoggerService } from '@nestjs/common';
import type { JSONWebKeySet, JWK } from 'jose';
import { ACCESS_LOG_LEVELS, isAccessLogLevel, type AccessLogLevel } from '@ketenpoort/logging';

export interface RegisterConfig {
  /** This register's id: the `aud` the gateway signs records for, and the `iss` of receipts. */
  registerId: string;
  databaseUrl: string;
  /** Pool size of the database connection; default 4 (fits the embedded server's connection limit). */
  databasePoolSize?: number;
  host: string;
  /** 0 = ephemeral. */
  intakePort: number;
  apiPort: number;
  tls: {
    certPem: string;
    keyPem: string;
    /** CAs whose client certificates the intake listener accepts in the handshake. */
    clientCaPems: string[];
    /** Common names of client certificates allowed to deliver records (the gateway). */
    allowedClientCommonNames: string[];
  };
  /** Public keys the gateway signs records with. */
  gatewayJwks: JSONWebKeySet;
  /** The register as witness of the gateway's audit log: the audit keys and the log's origin. */
  witness?: { auditJwks: JSONWebKeySet; origin: string };
  /** Private Ed25519 JWK (with `kid`) the register signs receipts with. */
  signingKey: JWK;
  /** Verification of analysts' bearer tokens. */
  analystTokens: { issuer: string; audience: string; jwks: JSONWebKeySet };
  /** Default: `new PinoLogger({ app: 'register' })` (JSON lines on standard output). */
  logger?: LoggerService;
  /** The level of the access line written for every request on both listeners; default `log`, `off` for none. */
  accessLog?: AccessLogLevel;
  /** Statistical disclosure control; `minCellSize` default 5 (cells below it are suppressed). */
  statistics?: { minCellSize?: number };
  /** The retention job: how often it deletes records past their retainUntil; default once a day. */
  retention?: { intervalMs?: number };
}

/** Cells holding fewer persons than this are suppressed unless the config says otherwise. */
export const DEFAULT_MIN_CELL_SIZE = 5;

export const REGISTER_CONFIG = Symbol('REGISTER_CONFIG');

/** The JWS issuer of records: only the gateway forwards to the register. */
export const GATEWAY_ISSUER = 'ketenpoort-gateway';

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;
const isPort = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;
const isPem = (value: unknown, label: RegExp) => typeof value === 'string' && label.test(value);
const hasKeys = (jwks: unknown) =>
  !!jwks && Array.isArray((jwks as JSONWebKeySet).keys) && (jwks as JSONWebKeySet).keys.length > 0;

/** Checks the config at boot; throws one error naming every bad setting (never a secret's value). */
export function validateRegisterConfig(config: RegisterConfig): RegisterConfig {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  check(!!config && typeof config === 'object', 'config must be an object');
  if (problems.length) throw new Error(`Invalid register config: ${problems.join('; ')}`);
  check(
    nonEmpty(config.registerId) && /^[a-z0-9][a-z0-9.-]{0,63}$/.test(config.registerId),
    'registerId must be a lower-case id',
  );
  check(
    nonEmpty(config.databaseUrl) && /^postgres(ql)?:\/\//.test(config.databaseUrl),
    'databaseUrl must be a postgres:// URL',
  );
  check(
    config.databasePoolSize === undefined ||
      (Number.isInteger(config.databasePoolSize) && config.databasePoolSize >= 1),
    'databasePoolSize must be a positive integer',
  );
  check(nonEmpty(config.host), 'host must be set');
  check(isPort(config.intakePort), 'intakePort must be an integer 0-65535');
  check(isPort(config.apiPort), 'apiPort must be an integer 0-65535');
  check(
    config.intakePort === 0 || config.intakePort !== config.apiPort,
    'intakePort and apiPort must differ',
  );
  const tls = config.tls;
  check(!!tls && isPem(tls.certPem, /-----BEGIN CERTIFICATE-----/), 'tls.certPem must be a PEM certificate');
  check(
    !!tls && isPem(tls.keyPem, /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
    'tls.keyPem must be a PEM private key',
  );
  check(
    !!tls &&
      Array.isArray(tls.clientCaPems) &&
      tls.clientCaPems.length > 0 &&
      tls.clientCaPems.every((pem) => isPem(pem, /-----BEGIN CERTIFICATE-----/)),
    'tls.clientCaPems must list at least one PEM CA certificate',
  );
  check(
    !!tls &&
      Array.isArray(tls.allowedClientCommonNames) &&
      tls.allowedClientCommonNames.length > 0 &&
      tls.allowedClientCommonNames.every(nonEmpty),
    'tls.allowedClientCommonNames must list at least one common name',
  );
  check(hasKeys(config.gatewayJwks), 'gatewayJwks must hold at least one key');
  const key = config.signingKey;
  check(
    !!key && key.kty === 'OKP' && key.crv === 'Ed25519' && nonEmpty(key.d) && nonEmpty(key.kid),
    'signingKey must be a private Ed25519 JWK with a kid',
  );
  const analyst = config.analystTokens;
  check(!!analyst && nonEmpty(analyst.issuer), 'analystTokens.issuer must be set');
  check(!!analyst && nonEmpty(analyst.audience), 'analystTokens.audience must be set');
  check(!!analyst && hasKeys(analyst.jwks), 'analystTokens.jwks must hold at least one key');
  const minCellSize = config.statistics?.minCellSize;
  check(
    minCellSize === undefined || (Number.isInteger(minCellSize) && minCellSize >= 2 && minCellSize <= 1000),
    'statistics.minCellSize must be an integer 2-1000',
  );
  const retentionMs = config.retention?.intervalMs;
  check(
    retentionMs === undefined || (Number.isInteger(retentionMs) && retentionMs >= 1000),
    'retention.intervalMs must be a whole number of milliseconds ≥ 1000',
  );
  check(
    config.accessLog === undefined || isAccessLogLevel(config.accessLog),
    `accessLog must be one of ${ACCESS_LOG_LEVELS.join(', ')}`,
  );
  if (problems.length) throw new Error(`Invalid register config: ${problems.join('; ')}`);
  return config;
}

/** Injection token of the register's logger (each app in a process keeps its own). */
export const REGISTER_LOGGER = Symbol('REGISTER_LOGGER');
