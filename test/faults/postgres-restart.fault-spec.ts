import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@ketenpoort/testing';
import { checkDelivery, printFigures, verifyAuditLog, waitForDrain } from './support/delivery-check.js';
import { FaultStack } from './support/fault-stack.js';
import { sleep } from './support/service-process.js';
import { ThrowawayPostgres } from './support/throwaway-postgres.js';

/** How long the gateway's PostgreSQL stays down (KP_FAULT_PG_DOWN_MS). */
const DOWN_MS = Number(process.env.KP_FAULT_PG_DOWN_MS ?? 20_000);

describe('PostgreSQL of the gateway restarted under load (throwaway cluster)', () => {
  let cluster: ThrowawayPostgres;
  let gatewayDatabaseUrl: string;
  let registerDb: TestDatabase;
  let stack: FaultStack;

  beforeAll(async () => {
    cluster = await ThrowawayPostgres.create();
    gatewayDatabaseUrl = await cluster.createDatabase('kp_fault_gateway');
    registerDb = await createTestDatabase('postgres');
    stack = await FaultStack.create({
      name: 'postgres-restart',
      gatewayDatabaseUrl,
      registerDatabaseUrl: registerDb.url,
    });
    await stack.start();
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await registerDb?.drop();
    cluster?.destroy();
  }, 60_000);

  it('answers 503 with Retry-After while the database is down, recovers by itself and loses nothing', async () => {
    const load = stack.load({ concurrency: 8 });
    await sleep(5_000);
    const beforeOutage = load.figures.acknowledged;
    cluster.stop();
    const downAt = Date.now();
    await sleep(DOWN_MS);
    const unavailableWhileDown = load.figures.serviceUnavailable;
    const acknowledgedWhileDown = load.figures.acknowledged;
    cluster.start();
    const upAt = Date.now();
    // Recovery: the first acknowledgement after the database is back, without any restart of the gateway.
    const recovered = acknowledgedWhileDown;
    while (load.figures.acknowledged === recovered && Date.now() - upAt < 60_000) await sleep(100);
    const recoveryMs = Date.now() - upAt;
    await sleep(5_000);
    await load.stop();

    const drainMs = await waitForDrain(gatewayDatabaseUrl, 180_000);
    const delivery = await checkDelivery(gatewayDatabaseUrl, registerDb.url, load.outcomes);
    const audit = await verifyAuditLog(stack, gatewayDatabaseUrl);
    printFigures(
      'PostgreSQL restart under load',
      load.figures,
      delivery,
      {
        'database down (ms)': upAt - downAt,
        'acknowledged before outage': beforeOutage,
        '503 while down': unavailableWhileDown,
        'recovery after restart (ms)': recoveryMs,
        'gateway restarts': stack.gateway.starts - 1,
        'kills survived': stack.gateway.kills,
        'drain after load (ms)': drainMs,
        'audit entries verified': audit.size,
      },
      load.anomalies,
    );

    expect(stack.gateway.alive).toBe(true);
    expect(stack.gateway.starts).toBe(1);
    expect(unavailableWhileDown).toBeGreaterThan(0);
    expect(load.anomalies).toEqual([]);
    expect(load.figures.badFiveXx).toBe(0);
    expect(load.figures.acknowledged).toBeGreaterThan(recovered);
    expect(delivery).toMatchObject({ lost: 0, duplicated: 0, orphans: 0, deadLetters: 0, pending: 0 });
    expect(delivery.delivered).toBe(delivery.acknowledged + delivery.unansweredDelivered);
    expect(audit).toMatchObject({ ok: true, redacted: [] });
  });
});
