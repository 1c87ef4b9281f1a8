import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@ketenpoort/testing';
import {
  checkDelivery,
  deliveredBy,
  printFigures,
  redundantSends,
  verifyAuditLog,
  waitForDrain,
} from './support/delivery-check.js';
import { FaultStack } from './support/fault-stack.js';
import { LoadDriver } from './support/load-driver.js';
import { until } from './support/service-process.js';

/** Signals in the stream (KP_FAULT_TWO_SIGNALS), within KP_FAULT_LOAD_CAP_MS. */
const SIGNALS = Number(process.env.KP_FAULT_TWO_SIGNALS ?? 2000);
const LOAD_CAP_MS = Number(process.env.KP_FAULT_LOAD_CAP_MS ?? 120_000);

describe('two gateway instances on one PostgreSQL under load', () => {
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  let stack: FaultStack;

  beforeAll(async () => {
    [gatewayDb, registerDb] = await Promise.all([
      createTestDatabase('postgres'),
      createTestDatabase('postgres'),
    ]);
    stack = await FaultStack.create({
      name: 'two-gateways',
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gateways: 2,
    });
    await stack.start();
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
  }, 60_000);

  it('shares the outbox between the instances and delivers each record once', async () => {
    const load = new LoadDriver({
      targets: () => stack.partnerUrls,
      partners: stack.partners,
      ca: stack.ca,
      concurrency: 16,
    }).start();
    const enough = await until(() => load.figures.sent >= SIGNALS, LOAD_CAP_MS);
    await load.stop();

    const drainMs = await waitForDrain(gatewayDb.url, 120_000);
    const delivery = await checkDelivery(gatewayDb.url, registerDb.url, load.outcomes);
    const audit = await verifyAuditLog(stack.adminUrls[1], stack.dataDir, stack.ca, gatewayDb.url);
    const [first, second] = stack.gateways.map(deliveredBy);
    const accepted = stack.gateways.map((g) => g.count('signal accepted'));
    const redelivered = redundantSends(stack.register);
    printFigures(
      'two gateway instances',
      load.figures,
      delivery,
      {
        'stream reached its target': String(enough),
        'accepted by instance 1': accepted[0],
        'accepted by instance 2': accepted[1],
        'delivered by instance 1': first,
        'delivered by instance 2': second,
        'sent to the register twice': redelivered,
        'drain after load (ms)': drainMs,
        'audit entries verified': audit.size,
      },
      load.anomalies,
    );

    expect(accepted[0]).toBeGreaterThan(0);
    expect(accepted[1]).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    // Each outbox row settled by exactly one instance, and no record reached the register twice.
    expect(first + second).toBe(delivery.delivered);
    expect(redelivered).toBe(0);
    expect(load.figures.fiveXx).toBe(0);
    expect(load.anomalies).toEqual([]);
    expect(delivery).toMatchObject({ lost: 0, duplicated: 0, orphans: 0, deadLetters: 0, pending: 0 });
    expect(delivery.delivered).toBe(delivery.acknowledged);
    expect(audit).toMatchObject({ ok: true, redacted: [] });
  });
});
