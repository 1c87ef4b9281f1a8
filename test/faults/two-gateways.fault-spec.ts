import { describe, expect, it } from '@jest/globals';

import {
  checkDelivery,
  deliveredBy,
  printFigures,
  redundantSends,
  verifyAuditLog,
  waitForDrain,
} from './support/delivery-check.js';
import { faultStackOnPostgres } from './support/fault-stack.js';
import { until } from './support/service-process.js';

/** Signals in the stream (KP_FAULT_TWO_SIGNALS), within KP_FAULT_LOAD_CAP_MS. */
const SIGNALS = Number(process.env.KP_FAULT_TWO_SIGNALS ?? 2000);
const LOAD_CAP_MS = Number(process.env.KP_FAULT_LOAD_CAP_MS ?? 120_000);

describe('two gateway instances on one PostgreSQL under load', () => {
  const fixture = faultStackOnPostgres({ name: 'two-gateways', gateways: 2 });

  it('shares the outbox between the instances and delivers each record once', async () => {
    const load = fixture.stack.load({ concurrency: 16 });
    const enough = await until(() => load.figures.sent >= SIGNALS, LOAD_CAP_MS);
    await load.stop();

    const drainMs = await waitForDrain(fixture.gatewayDb.url, 120_000);
    const delivery = await checkDelivery(fixture.gatewayDb.url, fixture.registerDb.url, load.outcomes);
    const audit = await verifyAuditLog(fixture.stack, fixture.gatewayDb.url, 1);
    const [first, second] = fixture.stack.gateways.map(deliveredBy);
    const accepted = fixture.stack.gateways.map((g) => g.count('signal accepted'));
    const redelivered = redundantSends(fixture.stack.register);
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
