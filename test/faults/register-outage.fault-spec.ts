import { describe, expect, it } from '@jest/globals';
import { httpsRequest } from '@ketenpoort/testing';

import {
  checkDelivery,
  redundantSends,
  outboxState,
  printFigures,
  verifyAuditLog,
  waitForDrain,
} from './support/delivery-check.js';
import { faultStackOnPostgres } from './support/fault-stack.js';
import { sleep } from './support/service-process.js';

/**
 * How long the register stays down (KP_FAULT_REGISTER_OUTAGE_MS). The issue asks for "several minutes";
 * CI runs 2 minutes to bound the suite; set e.g. 600000 for a ten-minute outage.
 */
const OUTAGE_MS = Number(process.env.KP_FAULT_REGISTER_OUTAGE_MS ?? 120_000);
/** New signals per second during the test (KP_FAULT_OUTAGE_RATE): about 2,400 over a 2-minute outage. */
const RATE = Number(process.env.KP_FAULT_OUTAGE_RATE ?? 20);

describe('register down for minutes under load (PostgreSQL)', () => {
  const fixture = faultStackOnPostgres({ name: 'register-outage' });

  const oldestPendingAge = async (): Promise<number> => {
    const answer = await httpsRequest(`${fixture.stack.adminUrls[0]}/metrics`, { ca: fixture.stack.ca });
    const line = answer.text.split('\n').find((l) => /^\w*outbox_oldest_pending_age_seconds /.test(l));
    return Number(line?.split(' ')[1] ?? NaN);
  };

  it('keeps accepting, dead-letters nothing, raises the backlog age and drains everything after', async () => {
    const load = fixture.stack.load({ concurrency: 8, ratePerSecond: RATE });
    await sleep(5_000);
    await fixture.stack.register.kill('SIGKILL');
    const downAt = Date.now();
    let maxDeadWhileDown = 0;
    let maxPendingWhileDown = 0;
    let ageAtEnd = 0;
    while (Date.now() - downAt < OUTAGE_MS) {
      await sleep(Math.min(10_000, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
      const state = await outboxState(fixture.gatewayDb.url);
      maxDeadWhileDown = Math.max(maxDeadWhileDown, state.dead);
      maxPendingWhileDown = Math.max(maxPendingWhileDown, state.pending);
    }
    ageAtEnd = await oldestPendingAge();
    const acknowledgedWhileDown = load.figures.acknowledged;
    await fixture.stack.register.start();
    const upAt = Date.now();
    await sleep(5_000);
    await load.stop();

    // Rows wait out their backoff (capped at 60 s by default) and then go.
    const drainMs = (await waitForDrain(fixture.gatewayDb.url, 240_000)) + (Date.now() - upAt);
    const delivery = await checkDelivery(fixture.gatewayDb.url, fixture.registerDb.url, load.outcomes);
    const audit = await verifyAuditLog(fixture.stack, fixture.gatewayDb.url);
    printFigures(
      'register outage under load',
      load.figures,
      delivery,
      {
        'register down (ms)': upAt - downAt,
        'acknowledged while register down': acknowledgedWhileDown,
        'backlog at its largest': maxPendingWhileDown,
        'oldest pending age at end of outage (s)': ageAtEnd,
        'drain after register back (ms)': drainMs,
        'gateway restarts': fixture.stack.gateway.starts - 1,
        'redeliveries the register absorbed': redundantSends(fixture.stack.register),
        'audit entries verified': audit.size,
      },
      load.anomalies,
    );

    expect(maxDeadWhileDown).toBe(0);
    expect(maxPendingWhileDown).toBeGreaterThan(0);
    expect(ageAtEnd).toBeGreaterThan((OUTAGE_MS / 1000) * 0.5);
    expect(fixture.stack.gateway.alive).toBe(true);
    expect(fixture.stack.gateway.starts).toBe(1);
    expect(load.figures.fiveXx).toBe(0);
    expect(load.anomalies).toEqual([]);
    expect(delivery).toMatchObject({ lost: 0, duplicated: 0, orphans: 0, deadLetters: 0, pending: 0 });
    expect(delivery.unanswered).toBe(0);
    expect(delivery.delivered).toBe(delivery.acknowledged);
    expect(audit).toMatchObject({ ok: true, redacted: [] });
  });
});
