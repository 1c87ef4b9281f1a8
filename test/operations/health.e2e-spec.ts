import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CapturedOutput,
  createTestDatabase,
  eventually,
  httpsRequest,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { runDoctor } from '../../apps/cli/src/doctor/doctor.js';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { StackClient } from '../support/stack-client.js';

const CONFIG_DIR = resolve('config');

interface HealthBody {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
  details: Record<string, { status: string } & Record<string, unknown>>;
}

describe.each(testDatabaseKinds())('health (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let client: StackClient;
  let databases: TestDatabase[];

  const gatewayHealth = (probe: 'live' | 'ready') =>
    httpsRequest(`${stack.gateway.adminUrl}/health/${probe}`, { ca: client.ca });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-health-'));
    databases = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: CONFIG_DIR,
      gatewayDatabaseUrl: databases[0].url,
      registerDatabaseUrl: databases[1].url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: new CapturedOutput(), levels: ['fatal'] }),
      registerLogger: new PinoLogger({
        app: 'register',
        destination: new CapturedOutput(),
        levels: ['fatal'],
      }),
    });
    client = new StackClient(stack, dataDir);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all((databases ?? []).map((db) => db.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('is live once started', async () => {
    const answer = await gatewayHealth('live');
    expect([answer.status, answer.json<HealthBody>().status]).toEqual([200, 'ok']);
  });

  it('is ready once started: database, key ring, policy, register and outbox all up', async () => {
    const answer = await gatewayHealth('ready');
    expect(answer.status).toBe(200);
    const body = answer.json<HealthBody>();
    expect(
      Object.fromEntries(Object.entries(body.details).map(([key, value]) => [key, value.status])),
    ).toEqual({
      database: 'up',
      keyRing: 'up',
      policy: 'up',
      register: 'up',
      outbox: 'up',
    });
    expect(body.details.keyRing.fingerprint).toBe(
      stack.keys.keyRing.fingerprint(stack.keys.keyRing.currentVersion),
    );
  });

  it('answers health on the admin listener only', async () => {
    const answer = await client.partnerGet('politie-oost-brabant', '/health/ready');
    expect(answer.status).toBe(404);
  });

  it('reports the register ready on its API listener', async () => {
    const answer = await httpsRequest(`${stack.register.apiUrl}/health/ready`, { ca: client.ca });
    expect(answer.status).toBe(200);
    expect(answer.json<HealthBody>().details.database.status).toBe('up');
  });

  it("lets doctor compare the running gateway's key ring with the data folder and find the register ready", async () => {
    const sut = await runDoctor({
      dataDir,
      configDir: CONFIG_DIR,
      gatewayAdminUrls: [stack.gateway.adminUrl],
      registerUrl: stack.register.apiUrl,
    });
    expect(sut.filter((f) => f.status === 'FAIL')).toEqual([]);
    expect(sut).toContainEqual(
      expect.objectContaining({
        area: 'key-ring',
        subject: `gateway ${stack.gateway.adminUrl}`,
        status: 'OK',
      }),
    );
    expect(sut).toContainEqual(expect.objectContaining({ area: 'register', status: 'OK' }));
  });

  it('is not ready while the register is stopped, and ready again once it is back', async () => {
    await stack.stopRegister();
    try {
      const down = await gatewayHealth('ready');
      expect(down.status).toBe(503);
      const body = down.json<HealthBody>();
      expect(body.status).toBe('error');
      expect(body.details.register.status).toBe('down');
      expect(body.details.database.status).toBe('up');
      expect((await gatewayHealth('live')).status).toBe(200);
    } finally {
      await stack.startRegister();
    }
    await eventually(async () => ((await gatewayHealth('ready')).status === 200 ? true : undefined));
  });
});
