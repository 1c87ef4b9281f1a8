import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import type { RunningGateway } from '../../apps/gateway/src/main.js';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { aLoadSignal } from '../faults/support/load-driver.js';
import { sql } from '../support/stack-client.js';

const PARTNER = 'politie-oost-brabant';
const SIGNALS = 150;

/**
 * Closing the gateway while partners send and the outbox delivers: requests in flight are answered, the
 * delivery in flight finishes (no retry caused by the shutdown), no lease is left behind, and a new instance
 * delivers the rest exactly once.
 */
describe.each(testDatabaseKinds())('graceful shutdown (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let closing: RunningGateway;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  const closingLog = new CapturedOutput();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-shutdown-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      outbox: { pollIntervalMs: 50, maxBackoffMs: 500, batchSize: 10 },
      gatewayLogger: new PinoLogger({
        app: 'gateway',
        destination: closingLog,
        levels: ['error', 'warn', 'log'],
      }),
    });
    closing = stack.gateway;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('answers requests in flight, finishes its deliveries and leaves no lease behind', async () => {
    const ca = readFileSync(stack.pki.caCert, 'utf8');
    const cert = readFileSync(stack.pki.partners[PARTNER].cert, 'utf8');
    const key = readFileSync(stack.pki.partners[PARTNER].key, 'utf8');
    let closeCalledAt = Infinity;
    let closed: Promise<void> | undefined;
    const answers = await Promise.all(
      Array.from({ length: SIGNALS }, async () => {
        const signal = aLoadSignal();
        try {
          const answer = await httpsRequest(`${closing.partnerUrl}/v1/signals`, {
            method: 'POST',
            body: JSON.stringify(signal),
            headers: { 'content-type': 'application/json' },
            ca,
            cert,
            key,
          });
          const at = Date.now();
          // Close as soon as the first signal is acknowledged: the rest are in flight or not yet accepted.
          if (!closed) {
            closeCalledAt = Date.now();
            closed = closing.close();
          }
          return { signalId: signal.signalId as string, status: answer.status, at };
        } catch (error) {
          return {
            signalId: signal.signalId as string,
            status: 0,
            code: (error as { code?: string }).code ?? (error as Error).message,
          };
        }
      }),
    );
    await closed;

    // Every request was answered 202 or never got in; nothing in between (no 5xx, no cut answer).
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused.filter((a) => a.status !== 0)).toEqual([]);
    for (const a of refused) expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']).toContain(a.code);
    // Some requests were answered after close() began: the listener let them finish.
    expect(accepted.filter((a) => (a.at ?? 0) > closeCalledAt).length).toBeGreaterThan(0);

    // What was acknowledged is stored; no outbox row is still leased by the closed instance.
    const stored = await sql<{ signal_id: string }>(
      gatewayDb.url,
      `SELECT signal_id FROM signal WHERE signal_id = ANY($1::uuid[])`,
      [accepted.map((a) => a.signalId)],
    );
    expect(stored).toHaveLength(accepted.length);
    const leased = await sql<{ n: number }>(
      gatewayDb.url,
      `SELECT count(*)::int AS n FROM outbox WHERE state = 'pending' AND lease_until > now()`,
    );
    expect(leased[0].n).toBe(0);
    // The closing instance delivered (or handed back) without a single failed delivery.
    expect(closingLog.text()).toContain('records delivered');
    expect(closingLog.text()).not.toContain('delivery failed');

    // A new instance delivers the rest: each accepted signal once at the register.
    await stack.startExtraGateway({ instanceId: 'after-shutdown' });
    await eventually(async () => {
      const rows = await sql<{ n: number }>(
        gatewayDb.url,
        `SELECT count(*)::int AS n FROM outbox WHERE state <> 'delivered'`,
      );
      return rows[0].n === 0 ? true : undefined;
    }, 60_000);
    const atRegister = await sql<{ n: number }>(
      registerDb.url,
      `SELECT count(*)::int AS n FROM register_record`,
    );
    expect(atRegister[0].n).toBe(accepted.length);
  }, 180_000);
});
