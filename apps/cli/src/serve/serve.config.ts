import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { JSONWebKeySet, JWK } from 'jose';
import {
  devPkiPaths,
  isDevCa,
  loadPartnersFile,
  readPrivateKeyFile,
  readTrustedCaCertificates,
} from '@ketenpoort/pki';
import { ACCESS_LOG_LEVELS, isAccessLogLevel, type AccessLogLevel } from '@ketenpoort/logging';
import { loadKeyRingFile } from '@ketenpoort/pseudonymisation';
import { loadPolicyFile } from '@ketenpoort/policy';
import {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_GOVERNANCE,
  DEFAULT_LIMITS,
  DEFAULT_OUTBOX,
  type GatewayConfig,
} from '../../../gateway/src/main.js';
import { consoleConfigProblems, type ConsoleConfig } from '../../../gateway/src/console/console.config.js';
import type { RegisterConfig } from '../../../register/src/main.js';
import { AUDIT_ORIGIN, DEV_ISSUER, GATEWAY_ADMIN_AUDIENCE, GATEWAY_ID, REGISTER_ID } from '../stack/stack.js';
import { keyPaths, readOwnerOnlyFile } from '../stack/stack-keys.js';

export type ServeEnvironment = Record<string, string | undefined>;

/**
 * Reads a certificate file and refuses one that is missing, unreadable, not yet valid or expired, with a
 * message that names the file and what to do.
 */
export function readCertificateFile(path: string, label: string, now: Date = new Date()): string {
  let pem: string;
  let cert: X509Certificate;
  try {
    pem = readFileSync(path, 'utf8');
    cert = new X509Certificate(pem);
  } catch {
    throw new Error(`${label} certificate ${path} is missing or not a readable PEM certificate`);
  }
  const notAfter = new Date(cert.validTo);
  if (now > notAfter) {
    throw new Error(`${label} certificate ${path} expired on ${notAfter.toISOString()}; renew it`);
  }
  if (now < new Date(cert.validFrom)) {
    throw new Error(
      `${label} certificate ${path} is not valid before ${new Date(cert.validFrom).toISOString()}`,
    );
  }
  return pem;
}

interface Common {
  mode: 'dev' | 'production';
  dataDir: string;
  configDir: string;
  databaseUrl: string;
  host: string;
  allowInsecureMode: false;
}

function common(env: ServeEnvironment): Common {
  const mode = env.KETENPOORT_MODE === 'dev' ? 'dev' : 'production';
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required (postgres://user:password@host:5432/db)');
  return {
    mode,
    dataDir: resolve(env.KETENPOORT_DATA_DIR ?? '/data'),
    configDir: resolve(env.KETENPOORT_CONFIG_DIR ?? 'config'),
    databaseUrl: env.DATABASE_URL,
    host: env.KETENPOORT_HOST ?? '0.0.0.0',
    allowInsecureMode: false,
  };
}

const port = (value: string | undefined, fallback: number) => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`port ${value} is not a port number`);
  return n;
};

/** `KETENPOORT_ACCESS_LOG`: the level of the per-request access line (`log`, `debug`, `verbose`, `off`). */
function accessLogLevel(env: ServeEnvironment): { accessLog?: AccessLogLevel } {
  const value = env.KETENPOORT_ACCESS_LOG;
  if (!value) return {};
  if (!isAccessLogLevel(value))
    throw new Error(`KETENPOORT_ACCESS_LOG must be one of ${ACCESS_LOG_LEVELS.join(', ')}`);
  return { accessLog: value };
}

function privateJwk(path: string): JWK {
  if (!existsSync(path))
    throw new Error(`missing key file ${path}; outside dev mode keys are never generated`);
  return JSON.parse(readOwnerOnlyFile(path)) as JWK;
}

function publicJwks(path: string): JSONWebKeySet {
  if (!existsSync(path)) throw new Error(`missing public key set ${path}`);
  return JSON.parse(readFileSync(path, 'utf8')) as JSONWebKeySet;
}

function refuseDevCas(mode: Common['mode'], pems: Record<string, string>): void {
  if (mode === 'dev') return;
  const dev = Object.entries(pems)
    .filter(([, pem]) => isDevCa(pem))
    .map(([name]) => name);
  if (dev.length) throw new Error(`dev CA configured outside dev mode: ${dev.join(', ')}`);
}

const CONSOLE_REQUIRED = [
  'KETENPOORT_CONSOLE_ISSUER',
  'KETENPOORT_CONSOLE_CLIENT_ID',
  'KETENPOORT_CONSOLE_CLIENT_SECRET_FILE',
  'KETENPOORT_CONSOLE_PUBLIC_URL',
] as const;
const CONSOLE_OPTIONAL = ['KETENPOORT_CONSOLE_ISSUER_CA_FILE'] as const;

/**
 * The privacy officer's console from the environment: all of it or none of it. The client secret comes
 * from an owner-only file, never from a variable's value (which `ps` and `docker inspect` show).
 */
export function consoleConfigFromEnvironment(
  env: ServeEnvironment,
  now: Date = new Date(),
): ConsoleConfig | undefined {
  // An empty value counts as unset: compose passes `${VAR:-}` through as an empty string.
  const value = (name: string) => (env[name] ? env[name] : undefined);
  const set = [...CONSOLE_REQUIRED, ...CONSOLE_OPTIONAL].filter((name) => value(name) !== undefined);
  if (set.length === 0) return undefined;
  const missing = CONSOLE_REQUIRED.filter((name) => value(name) === undefined);
  if (missing.length)
    throw new Error(
      `console configuration incomplete: ${set.join(', ')} set but ${missing.join(', ')} missing; ` +
        'set all of them to enable the console, or none to run without it',
    );
  const secretPath = env.KETENPOORT_CONSOLE_CLIENT_SECRET_FILE as string;
  if (!existsSync(secretPath))
    throw new Error(`KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: ${secretPath} does not exist`);
  let clientSecret: string;
  try {
    clientSecret = readOwnerOnlyFile(secretPath).trim();
  } catch (error) {
    throw new Error(`KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: ${(error as Error).message}`);
  }
  const caPath = value('KETENPOORT_CONSOLE_ISSUER_CA_FILE');
  const config: ConsoleConfig = {
    issuer: env.KETENPOORT_CONSOLE_ISSUER as string,
    clientId: env.KETENPOORT_CONSOLE_CLIENT_ID as string,
    clientSecret,
    publicUrl: env.KETENPOORT_CONSOLE_PUBLIC_URL,
    ...(caPath ? { issuerCaPems: [readCertificateFile(caPath, 'console issuer CA', now)] } : {}),
  };
  const problems = consoleConfigProblems(config);
  if (problems.length)
    throw new Error(
      `gateway configuration refused: ${problems.join('; ')} (from the KETENPOORT_CONSOLE_* settings)`,
    );
  return config;
}

/**
 * The gateway's configuration for `ketenpoort serve gateway`, from the environment and the data folder's
 * layout (pki/, keys/). Each file only this instance needs: no register private key is read.
 */
export function gatewayConfigFromEnvironment(env: ServeEnvironment, now: Date = new Date()): GatewayConfig {
  const c = common(env);
  if (!env.KETENPOORT_REGISTER_INTAKE_URL) throw new Error('KETENPOORT_REGISTER_INTAKE_URL is required');
  const partnersPath = join(c.configDir, 'partners.yaml');
  const policyPath = join(c.configDir, 'policies', 'register.yaml');
  const partners = loadPartnersFile(partnersPath);
  loadPolicyFile(policyPath);
  const pki = devPkiPaths(c.dataDir, []);
  const keys = keyPaths(c.dataDir);
  const caCerts = readTrustedCaCertificates(partners.cas, c.dataDir);
  const caPem = readCertificateFile(pki.caCert, 'CA', now);
  const consoleConfig = consoleConfigFromEnvironment(env, now);
  refuseDevCas(c.mode, {
    ...caCerts,
    register: caPem,
    ...(consoleConfig?.issuerCaPems ? { 'console issuer': consoleConfig.issuerCaPems[0] } : {}),
  });
  const adminJwksPath = env.KETENPOORT_ADMIN_JWKS_FILE ?? keys.publicJwks('dev-issuer');
  return {
    mode: c.mode,
    gatewayId: GATEWAY_ID,
    databaseUrl: c.databaseUrl,
    host: c.host,
    partnerPort: port(env.KETENPOORT_PARTNER_PORT, 8443),
    tls: {
      certPem: readCertificateFile(pki.gatewayServer.cert, 'gateway server', now),
      keyPem: readPrivateKeyFile(pki.gatewayServer.key),
    },
    instanceId: env.KETENPOORT_INSTANCE_ID ?? hostname(),
    policySource: { path: policyPath, content: readFileSync(policyPath, 'utf8') },
    partnersSource: {
      path: partnersPath,
      content: JSON.stringify({ partnersYaml: readFileSync(partnersPath, 'utf8'), caCertificates: caCerts }),
    },
    admin: {
      port: port(env.KETENPOORT_ADMIN_PORT, 8444),
      tokens: {
        issuer: env.KETENPOORT_ADMIN_ISSUER ?? DEV_ISSUER,
        audience: env.KETENPOORT_ADMIN_AUDIENCE ?? GATEWAY_ADMIN_AUDIENCE,
        ...(env.KETENPOORT_ADMIN_JWKS_URL
          ? { jwksUrl: env.KETENPOORT_ADMIN_JWKS_URL }
          : { jwks: publicJwks(adminJwksPath) }),
      },
    },
    governance: DEFAULT_GOVERNANCE,
    audit: {
      origin: env.KETENPOORT_AUDIT_ORIGIN ?? AUDIT_ORIGIN,
      signingKey: privateJwk(keys.privateJwk('audit-signing')),
      jwks: publicJwks(keys.publicJwks('audit-signing')),
      checkpointIntervalMs: DEFAULT_CHECKPOINT_INTERVAL_MS,
    },
    keyRing: loadKeyRingFile(keys.keyRing),
    signingKey: privateJwk(keys.privateJwk('gateway-signing')),
    register: {
      intakeUrl: env.KETENPOORT_REGISTER_INTAKE_URL,
      registerId: REGISTER_ID,
      clientCertPem: readCertificateFile(pki.gatewayClient.cert, 'gateway client', now),
      clientKeyPem: readPrivateKeyFile(pki.gatewayClient.key),
      caPems: [caPem],
      receiptJwks: publicJwks(keys.publicJwks('register-signing')),
    },
    limits: DEFAULT_LIMITS,
    outbox: DEFAULT_OUTBOX,
    ...(consoleConfig ? { console: consoleConfig } : {}),
    ...accessLogLevel(env),
  };
}

/** The register's configuration for `ketenpoort serve register` (no gateway private key is read). */
export function registerConfigFromEnvironment(env: ServeEnvironment, now: Date = new Date()): RegisterConfig {
  const c = common(env);
  const pki = devPkiPaths(c.dataDir, []);
  const keys = keyPaths(c.dataDir);
  const caPem = readCertificateFile(pki.caCert, 'CA', now);
  refuseDevCas(c.mode, { gateway: caPem });
  return {
    registerId: REGISTER_ID,
    databaseUrl: c.databaseUrl,
    host: c.host,
    intakePort: port(env.KETENPOORT_INTAKE_PORT, 9443),
    apiPort: port(env.KETENPOORT_API_PORT, 9444),
    tls: {
      certPem: readCertificateFile(pki.registerServer.cert, 'register server', now),
      keyPem: readPrivateKeyFile(pki.registerServer.key),
      clientCaPems: [caPem],
      allowedClientCommonNames: (env.KETENPOORT_GATEWAY_CLIENT_CN ?? 'gateway').split(','),
    },
    gatewayJwks: publicJwks(keys.publicJwks('gateway-signing')),
    witness: {
      auditJwks: publicJwks(keys.publicJwks('audit-signing')),
      origin: env.KETENPOORT_AUDIT_ORIGIN ?? AUDIT_ORIGIN,
    },
    signingKey: privateJwk(keys.privateJwk('register-signing')),
    analystTokens: {
      issuer: env.KETENPOORT_ANALYST_ISSUER ?? DEV_ISSUER,
      audience: env.KETENPOORT_ANALYST_AUDIENCE ?? REGISTER_ID,
      jwks: publicJwks(env.KETENPOORT_ANALYST_JWKS_FILE ?? keys.publicJwks('dev-issuer')),
    },
    ...accessLogLevel(env),
  };
}
