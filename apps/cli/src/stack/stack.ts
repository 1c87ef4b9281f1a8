import type { LoggerService } from '@nestjs/common';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_GOVERNANCE,
  DEFAULT_LIMITS,
  DEFAULT_LISTENER_LIMITS,
  DEFAULT_RATE_LIMIT,
  DEFAULT_OUTBOX,
  startGateway,
  type GatewayConfig,
  type RunningGateway,
} from '../../../gateway/src/main.js';
import { startRegister, type RegisterConfig, type RunningRegister } from '../../../register/src/main.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@ketenpoort/persistence';
import {
  devCrlPath,
  devPkiPaths,
  ensureDevCrl,
  ensureDevPki,
  isDevCa,
  loadPartnersFile,
  readPrivateKeyFile,
  readTrustedCaCertificates,
  type DevPkiPaths,
} from '@ketenpoort/pki';
import { loadPolicyFile } from '@ketenpoort/policy';
import { ensureDevKeys, loadStackKeys, type StackKeys } from './stack-keys.js';
import { randomBytes } from 'node:crypto';
import { startDevIssuer, type RunningDevIssuer } from '../dev-issuer/dev-issuer.js';

export const GATEWAY_ID = 'ketenpoort-gateway';
export const REGISTER_ID = 'ketenpoort-register';
export const DEV_ISSUER = 'https://dev-issuer.ketenpoort.local';
export const GATEWAY_ADMIN_AUDIENCE = 'ketenpoort-gateway-admin';
/** Names the audit log in its checkpoints. */
export const AUDIT_ORIGIN = 'ketenpoort.local/audit';
/** The console's client id at the dev OpenID Connect issuer. */
export const CONSOLE_CLIENT_ID = 'ketenpoort-console';

export interface StackOptions {
  mode: 'dev' | 'production';
  dataDir: string;
  configDir: string;
  host?: string;
  gatewayPort?: number;
  adminPort?: number;
  registerIntakePort?: number;
  registerApiPort?: number;
  /** Absent: an embedded PostgreSQL (PGlite) under <dataDir>/db/… (dev mode only). */
  gatewayDatabaseUrl?: string;
  registerDatabaseUrl?: string;
  gatewayLogger?: LoggerService;
  registerLogger?: LoggerService;
  outbox?: Partial<GatewayConfig['outbox']>;
  governance?: Partial<GatewayConfig['governance']>;
  instanceId?: string;
  checkpointIntervalMs?: number;
  limits?: Partial<GatewayConfig['limits']>;
  rateLimit?: GatewayConfig['rateLimit'];
  listeners?: Partial<NonNullable<GatewayConfig['listeners']>>;
  /** CRL files of the partner CAs; dev mode defaults to the dev CA's CRL (<dataDir>/pki/ca.crl). */
  revocation?: Partial<NonNullable<GatewayConfig['revocation']>>;
  /** The console's OpenID Connect client settings; dev mode default: the embedded dev issuer. */
  console?: GatewayConfig['console'];
}

export interface RunningStack {
  gateway: RunningGateway;
  register: RunningRegister;
  pki: DevPkiPaths;
  keys: StackKeys;
  /** The embedded dev OpenID Connect issuer of the console (dev mode without `console` settings). */
  devIssuer?: RunningDevIssuer;
  /** Starts another gateway instance on the same databases and keys (ephemeral ports); closed by close(). */
  startExtraGateway(options: { instanceId: string; logger?: LoggerService }): Promise<RunningGateway>;
  /** Stops the register only (its port stays reserved for `startRegister`). */
  stopRegister(): Promise<void>;
  startRegister(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts register and gateway the way `ketenpoort dev` does. In dev mode a dev PKI, dev keys and
 * embedded databases are created on first start; outside dev mode nothing is generated, key files must
 * be owner-only and dev CAs are refused.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dev = options.mode === 'dev';
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const partnersPath = join(options.configDir, 'partners.yaml');
  const policyPath = join(options.configDir, 'policies', 'register.yaml');
  const partnersFile = loadPartnersFile(partnersPath);
  // Fail early with the loader's file:line messages; what is enforced is decided by approvals.
  loadPolicyFile(policyPath);
  mkdirSync(dataDir, { recursive: true });
  let pki: DevPkiPaths;
  if (dev) {
    pki = ensureDevPki(dataDir, partnersFile.partners);
    ensureDevCrl(dataDir);
    await ensureDevKeys(dataDir);
  } else {
    if (!options.gatewayDatabaseUrl || !options.registerDatabaseUrl) {
      throw new Error(
        'outside dev mode both database URLs are required (DATABASE_URL, REGISTER_DATABASE_URL)',
      );
    }
    pki = devPkiPaths(dataDir, partnersFile.partners);
  }
  const keys = loadStackKeys(dataDir, { allowInsecureMode: false });
  const readKey = (path: string) => readPrivateKeyFile(path, { allowInsecureMode: false });
  const caCerts = readTrustedCaCertificates(partnersFile.cas, dataDir);
  if (!dev) {
    const devCas = partnersFile.cas.filter((ca) => ca.dev || isDevCa(caCerts[ca.name])).map((ca) => ca.name);
    if (devCas.length) throw new Error(`dev CA configured outside dev mode: ${devCas.join(', ')}`);
  }
  const caPem = readFileSync(pki.caCert, 'utf8');

  const databases: EmbeddedPostgres[] = [];
  const embedded = async (name: string) => {
    if (!dev) throw new Error('embedded databases run only in dev mode');
    const db = await startEmbeddedPostgres({ dataDir: join(dataDir, 'db', name), port: 0 });
    databases.push(db);
    return db.url;
  };
  const registerDatabaseUrl = options.registerDatabaseUrl ?? (await embedded('register'));
  const gatewayDatabaseUrl = options.gatewayDatabaseUrl ?? (await embedded('gateway'));

  const registerConfig: RegisterConfig = {
    registerId: REGISTER_ID,
    databaseUrl: registerDatabaseUrl,
    host,
    intakePort: options.registerIntakePort ?? 0,
    apiPort: options.registerApiPort ?? 0,
    tls: {
      certPem: readFileSync(pki.registerServer.cert, 'utf8'),
      keyPem: readKey(pki.registerServer.key),
      clientCaPems: [caPem],
      // The dev PKI names the gateway's forwarding certificate CN=gateway (libs/pki ensureDevPki).
      allowedClientCommonNames: ['gateway'],
    },
    gatewayJwks: keys.gatewayJwks,
    witness: { auditJwks: keys.auditJwks, origin: AUDIT_ORIGIN },
    signingKey: keys.registerSigning,
    analystTokens: { issuer: DEV_ISSUER, audience: REGISTER_ID, jwks: keys.devIssuerJwks },
    logger: options.registerLogger,
  };
  let register = await startRegister(registerConfig);
  // Keep the ports, so that a restarted register is found where the gateway expects it.
  registerConfig.intakePort = Number(new URL(register.intakeUrl).port);
  registerConfig.apiPort = Number(new URL(register.apiUrl).port);
  let registerRunning = true;

  let devIssuer: RunningDevIssuer | undefined;
  let consoleSettings = options.console;
  let gateway: RunningGateway;
  // Kept so that startExtraGateway starts further instances exactly like this one.
  let gatewayConfig!: GatewayConfig;
  const startFirstGateway = (config: GatewayConfig) => startGateway((gatewayConfig = config));
  try {
    if (dev && !consoleSettings) {
      devIssuer = await startDevIssuer({
        host,
        tls: {
          certPem: readFileSync(pki.gatewayServer.cert, 'utf8'),
          keyPem: readKey(pki.gatewayServer.key),
        },
        signingKey: keys.devIssuer,
        client: {
          clientId: CONSOLE_CLIENT_ID,
          clientSecret: randomBytes(32).toString('base64url'),
          redirectUris: [],
        },
      });
      consoleSettings = {
        issuer: devIssuer.issuer,
        clientId: devIssuer.client.clientId,
        clientSecret: devIssuer.client.clientSecret,
        issuerCaPems: [caPem],
      };
    }
    gateway = await startFirstGateway({
      mode: options.mode,
      gatewayId: GATEWAY_ID,
      databaseUrl: gatewayDatabaseUrl,
      host,
      partnerPort: options.gatewayPort ?? 0,
      tls: { certPem: readFileSync(pki.gatewayServer.cert, 'utf8'), keyPem: readKey(pki.gatewayServer.key) },
      instanceId: options.instanceId ?? `${hostname()}-${process.pid}`,
      policySource: { path: policyPath, content: readFileSync(policyPath, 'utf8') },
      partnersSource: {
        path: partnersPath,
        content: JSON.stringify({
          partnersYaml: readFileSync(partnersPath, 'utf8'),
          caCertificates: caCerts,
        }),
      },
      admin: {
        port: options.adminPort ?? 0,
        tokens: { issuer: DEV_ISSUER, audience: GATEWAY_ADMIN_AUDIENCE, jwks: keys.devIssuerJwks },
      },
      governance: { ...DEFAULT_GOVERNANCE, ...options.governance },
      audit: {
        origin: AUDIT_ORIGIN,
        signingKey: keys.auditSigning,
        jwks: keys.auditJwks,
        checkpointIntervalMs: options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
      },
      keyRing: keys.keyRing,
      signingKey: keys.gatewaySigning,
      register: {
        intakeUrl: register.intakeUrl,
        registerId: REGISTER_ID,
        clientCertPem: readFileSync(pki.gatewayClient.cert, 'utf8'),
        clientKeyPem: readKey(pki.gatewayClient.key),
        caPems: [caPem],
        receiptJwks: keys.registerJwks,
      },
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
      listeners: { ...DEFAULT_LISTENER_LIMITS, ...options.listeners },
      revocation: {
        crlPaths: options.revocation?.crlPaths ?? (dev ? [devCrlPath(dataDir)] : []),
        refreshIntervalMs: options.revocation?.refreshIntervalMs ?? 60_000,
      },
      outbox: { ...DEFAULT_OUTBOX, ...options.outbox },
      console: consoleSettings,
      logger: options.gatewayLogger,
    });
    const adminPort = new URL(gateway.adminUrl).port;
    for (const name of ['127.0.0.1', 'localhost']) {
      devIssuer?.allowRedirectUri(`https://${name}:${adminPort}/console/callback`);
    }
  } catch (error) {
    await devIssuer?.close();
    await register.close();
    await Promise.all(databases.map((db) => db.stop()));
    throw error;
  }

  const extraGateways: RunningGateway[] = [];
  const stack: RunningStack = {
    gateway,
    async startExtraGateway({ instanceId, logger }) {
      const extra = await startGateway({
        ...gatewayConfig,
        instanceId,
        partnerPort: 0,
        admin: { ...gatewayConfig.admin, port: 0 },
        logger: logger ?? gatewayConfig.logger,
      });
      extraGateways.push(extra);
      return extra;
    },
    get register() {
      return register;
    },
    pki,
    keys,
    devIssuer,
    async stopRegister() {
      if (!registerRunning) return;
      registerRunning = false;
      await register.close();
    },
    async startRegister() {
      if (registerRunning) return;
      register = await startRegister(registerConfig);
      registerRunning = true;
    },
    async close() {
      for (const extra of extraGateways.splice(0)) await extra.close();
      await gateway.close();
      await devIssuer?.close();
      if (registerRunning) await register.close();
      registerRunning = false;
      for (const db of databases) await db.stop();
    },
  };
  return stack;
}
