import { afterAll, beforeAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@ketenpoort/testing';
import { ensureDevCrl, ensureDevPki, loadPartnersFile, type DevPkiPaths } from '@ketenpoort/pki';
import { ensureDevKeys } from '../../../apps/cli/src/stack/stack-keys.js';
import { LoadDriver, type LoadOptions } from './load-driver.js';
import { freePort, ServiceProcess } from './service-process.js';

export const CONFIG_DIR = resolve('config');

export interface PartnerCredentials {
  id: string;
  cert: string;
  key: string;
}

export interface FaultStackOptions {
  /** Names the temp folder and the log files. */
  name: string;
  gatewayDatabaseUrl: string;
  registerDatabaseUrl: string;
  /** Gateway instances sharing the gateway database (default 1). */
  gateways?: number;
}

/**
 * A dev data folder (dev PKI, dev keys) and separate `ketenpoort serve register` and `serve gateway`
 * processes on fixed loopback ports, so that a killed process comes back where clients expect it.
 * Dev mode (KETENPOORT_MODE=dev) is what allows the fault-injection variable.
 */
export class FaultStack {
  readonly gateways: ServiceProcess[] = [];
  readonly partnerUrls: string[] = [];
  readonly adminUrls: string[] = [];
  private readonly loads: LoadDriver[] = [];
  register!: ServiceProcess;
  registerIntakeUrl!: string;
  pki!: DevPkiPaths;
  ca!: string;
  partners!: PartnerCredentials[];

  private constructor(
    readonly options: FaultStackOptions,
    readonly dataDir: string,
    readonly logDir: string,
  ) {}

  static async create(options: FaultStackOptions): Promise<FaultStack> {
    const dataDir = mkdtempSync(join(tmpdir(), `kp-fault-${options.name}-`));
    const logDir = process.env.KP_TEST_LOG_DIR ?? join(dataDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const stack = new FaultStack(options, dataDir, logDir);
    await stack.prepare();
    return stack;
  }

  private async prepare(): Promise<void> {
    const partnersFile = loadPartnersFile(join(CONFIG_DIR, 'partners.yaml'));
    this.pki = ensureDevPki(this.dataDir, partnersFile.partners);
    ensureDevCrl(this.dataDir);
    await ensureDevKeys(this.dataDir);
    this.ca = readFileSync(this.pki.caCert, 'utf8');
    this.partners = partnersFile.partners.map((p) => ({
      id: p.id,
      cert: readFileSync(this.pki.partners[p.id].cert, 'utf8'),
      key: readFileSync(this.pki.partners[p.id].key, 'utf8'),
    }));
    const common = {
      KETENPOORT_MODE: 'dev',
      KETENPOORT_DATA_DIR: this.dataDir,
      KETENPOORT_CONFIG_DIR: CONFIG_DIR,
      KETENPOORT_HOST: '127.0.0.1',
    };
    const [intakePort, apiPort] = [await freePort(), await freePort()];
    this.registerIntakeUrl = `https://127.0.0.1:${intakePort}`;
    this.register = new ServiceProcess(
      'register',
      ['serve', 'register'],
      {
        ...common,
        DATABASE_URL: this.options.registerDatabaseUrl,
        KETENPOORT_INTAKE_PORT: String(intakePort),
        KETENPOORT_API_PORT: String(apiPort),
      },
      intakePort,
      join(this.logDir, `${this.options.name}-register.log`),
    );
    for (let i = 0; i < (this.options.gateways ?? 1); i += 1) {
      const [partnerPort, adminPort] = [await freePort(), await freePort()];
      this.partnerUrls.push(`https://127.0.0.1:${partnerPort}`);
      this.adminUrls.push(`https://127.0.0.1:${adminPort}`);
      this.gateways.push(
        new ServiceProcess(
          `gateway-${i + 1}`,
          ['serve', 'gateway'],
          {
            ...common,
            DATABASE_URL: this.options.gatewayDatabaseUrl,
            KETENPOORT_PARTNER_PORT: String(partnerPort),
            KETENPOORT_ADMIN_PORT: String(adminPort),
            KETENPOORT_REGISTER_INTAKE_URL: this.registerIntakeUrl,
            KETENPOORT_INSTANCE_ID: `fault-gateway-${i + 1}`,
          },
          partnerPort,
          join(this.logDir, `${this.options.name}-gateway-${i + 1}.log`),
        ),
      );
    }
  }

  /** A load driver against every gateway of this stack, as each partner in turn; already started. */
  load(options: Omit<LoadOptions, 'targets' | 'partners' | 'ca'>): LoadDriver {
    const driver = new LoadDriver({
      targets: () => this.partnerUrls,
      partners: this.partners,
      ca: this.ca,
      ...options,
    }).start();
    this.loads.push(driver);
    return driver;
  }

  get gateway(): ServiceProcess {
    return this.gateways[0];
  }

  /** Register first (the gateway's witness and delivery target), then the gateways one by one. */
  async start(): Promise<void> {
    await this.register.start();
    // One at a time: the first runs the migrations and bootstraps the dev configuration.
    for (const gateway of this.gateways) await gateway.start();
  }

  /** Stops any load a failed test left running, then the processes. */
  async close(): Promise<void> {
    await Promise.all(this.loads.map((load) => load.stop()));
    await Promise.all([...this.gateways, this.register].map((p) => p.close()));
    if (!process.env.KP_TEST_LOG_DIR && !process.env.KP_FAULT_KEEP) {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** A fault stack on two fresh PostgreSQL test databases (gateway, register), for one describe block. */
export interface PostgresFaultStack {
  stack: FaultStack;
  gatewayDb: TestDatabase;
  registerDb: TestDatabase;
}

/**
 * Registers the describe block's beforeAll/afterAll: two databases on the shared PostgreSQL, the stack
 * started on them, and everything closed and dropped after. Read the fields inside the tests.
 */
export function faultStackOnPostgres(
  options: Omit<FaultStackOptions, 'gatewayDatabaseUrl' | 'registerDatabaseUrl'>,
): PostgresFaultStack {
  const fixture = {} as PostgresFaultStack;
  beforeAll(async () => {
    [fixture.gatewayDb, fixture.registerDb] = await Promise.all([
      createTestDatabase('postgres'),
      createTestDatabase('postgres'),
    ]);
    fixture.stack = await FaultStack.create({
      ...options,
      gatewayDatabaseUrl: fixture.gatewayDb.url,
      registerDatabaseUrl: fixture.registerDb.url,
    });
    await fixture.stack.start();
  }, 180_000);
  afterAll(async () => {
    await fixture.stack?.close();
    await Promise.all([fixture.gatewayDb?.drop(), fixture.registerDb?.drop()]);
  }, 60_000);
  return fixture;
}
