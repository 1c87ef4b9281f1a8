import { describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';

import { FAULT_POINTS } from '../../apps/gateway/src/common/fault-point.js';
import {
  checkDelivery,
  printFigures,
  redundantSends,
  verifyAuditLog,
  waitForDrain,
} from './support/delivery-check.js';
import { sql } from '../support/stack-client.js';
import { faultStackOnPostgres } from './support/fault-stack.js';
import { until, within, sleep } from './support/service-process.js';

/** Signals in the stream at least (KP_FAULT_SIGNALS); the stream goes on until every kill is done. */
const SIGNALS = Number(process.env.KP_FAULT_SIGNALS ?? 2500);
/** The stream stops after this long even if fewer signals went through (a slow machine; KP_FAULT_LOAD_CAP_MS). */
const LOAD_CAP_MS = Number(process.env.KP_FAULT_LOAD_CAP_MS ?? 120_000);
/** SIGKILLs at random moments, besides one at each fault point (KP_FAULT_RANDOM_KILLS). */
const RANDOM_KILLS = Number(process.env.KP_FAULT_RANDOM_KILLS ?? 6);

describe('gateway killed with SIGKILL under load (PostgreSQL)', () => {
  const fixture = faultStackOnPostgres({ name: 'gateway-crash' });

  it('delivers every acknowledged signal exactly once, however often the gateway dies, and the audit log verifies', async () => {
    const gateway = fixture.stack.gateway;
    const load = fixture.stack.load({ concurrency: 16 });
    const reached: Record<string, boolean> = {};

    // At random moments: the process is killed by the test, wherever it happens to be.
    for (let i = 0; i < RANDOM_KILLS; i += 1) {
      await sleep(randomInt(1000, 4000));
      await gateway.kill('SIGKILL');
      await gateway.start();
    }
    // At each fault point: the process kills itself there, after a random number of passes.
    for (const point of FAULT_POINTS) {
      await gateway.kill('SIGKILL');
      const env = { KETENPOORT_FAULT_POINT: point, KETENPOORT_FAULT_AFTER: String(randomInt(2, 40)) };
      await gateway.start(env).catch(() => undefined); // may die at the point before its port opens
      const exit = await within(gateway.exited(), 60_000);
      reached[point] = exit?.signal === 'SIGKILL';
      await gateway.kill('SIGKILL');
      await gateway.start();
    }
    const enough = await until(() => load.figures.sent >= SIGNALS, LOAD_CAP_MS);
    await load.stop();

    const drainMs = await waitForDrain(fixture.gatewayDb.url, 180_000);
    const delivery = await checkDelivery(fixture.gatewayDb.url, fixture.registerDb.url, load.outcomes);
    const audit = await verifyAuditLog(fixture.stack, fixture.gatewayDb.url);
    printFigures(
      'gateway SIGKILL under load',
      load.figures,
      delivery,
      {
        'kills survived': gateway.kills,
        'stream reached its target': String(enough),
        'fault points reached': Object.values(reached).filter(Boolean).length,
        'redeliveries the register absorbed': redundantSends(fixture.stack.register),
        'drain after load (ms)': drainMs,
        'audit entries verified': audit.size,
      },
      load.anomalies,
    );

    expect(reached).toEqual(Object.fromEntries(FAULT_POINTS.map((p) => [p, true])));
    expect(gateway.kills).toBeGreaterThanOrEqual(RANDOM_KILLS + FAULT_POINTS.length);
    expect(load.anomalies).toEqual([]);
    expect(load.figures.sent).toBeGreaterThan(0);
    expect(delivery).toMatchObject({ lost: 0, duplicated: 0, orphans: 0, deadLetters: 0, pending: 0 });
    expect(delivery.acknowledged).toBeGreaterThan(0);
    expect(delivery.delivered).toBe(delivery.acknowledged + delivery.unansweredDelivered);
    expect(audit).toMatchObject({ ok: true, redacted: [] });
  });

  it('on SIGTERM under load exits cleanly and holds no lease afterwards (in-flight work finished or handed back)', async () => {
    const gateway = fixture.stack.gateway;
    const load = fixture.stack.load({ concurrency: 8 });
    await sleep(4_000);
    const killsBefore = gateway.kills;
    const exit = await gateway.kill('SIGTERM');
    const [{ held }] = await sql<{ held: string }>(
      fixture.gatewayDb.url,
      "SELECT count(*) AS held FROM outbox WHERE state = 'pending' AND lease_until > now()",
    );
    await gateway.start();
    await sleep(2_000);
    await load.stop();
    const drainMs = await waitForDrain(fixture.gatewayDb.url, 180_000);
    const delivery = await checkDelivery(fixture.gatewayDb.url, fixture.registerDb.url, load.outcomes);
    printFigures(
      'gateway SIGTERM under load',
      load.figures,
      delivery,
      {
        'exit code': String(exit?.code),
        'leases held after shutdown': Number(held),
        'drain after load (ms)': drainMs,
      },
      load.anomalies,
    );

    // `serve` exits 0 after closing; Nest's shutdown hooks re-raise SIGTERM once the app has closed.
    expect(exit?.code === 0 || exit?.signal === 'SIGTERM').toBe(true);
    expect(gateway.kills).toBe(killsBefore);
    expect(Number(held)).toBe(0);
    expect(delivery).toMatchObject({ lost: 0, duplicated: 0, orphans: 0, deadLetters: 0, pending: 0 });
  });
});
