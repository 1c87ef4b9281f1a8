import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyAuditExport } from '@ketenpoort/audit';
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
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';
import { aLoadSignal } from '../faults/support/load-driver.js';
import { exportWhenCosigned } from '../support/audit-export.js';
import { sql } from '../support/stack-client.js';

const PARTNERS = [
  'politie-oost-brabant',
  'kmar',
  'arbeidsinspectie',
  'zorgcoordinator-brabant',
  'jeugdzorg-utrecht',
];
const CONCURRENCY = 16;

/** Two gateway instances append to one log on one database: one log, indexes 0..N-1, verify passes. */
describe.each(testDatabaseKinds())('two gateways appending to one audit log (%s)', (kind) => {
  // 3 audit entries per signal (received, forwarded, delivered): 2×500 signals = 3,000 entries on PostgreSQL.
  const perGateway = Number(process.env.KP_AUDIT_CONCURRENT_SIGNALS ?? (kind === 'postgres' ? 500 : 100));
  let dataDir: string;
  let stack: RunningStack;
  let second: RunningGateway;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  const accepted: string[] = [];
  const logs = { a: new CapturedOutput(), b: new CapturedOutput(), register: new CapturedOutput() };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-audit-concurrent-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      gatewayLogger: new PinoLogger({ app: 'gateway', destination: logs.a }),
      registerLogger: new PinoLogger({ app: 'register', destination: logs.register }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
      rateLimit: { requestsPerSecond: 100_000, burst: 100_000 },
      instanceId: 'gateway-a',
    });
    second = await stack.startExtraGateway({
      instanceId: 'gateway-b',
      logger: new PinoLogger({ app: 'gateway-b', destination: logs.b }),
    });
  }, 400_000);

  afterAll(async () => {
    if (process.env.KP_TEST_LOG_DIR) {
      for (const [name, log] of Object.entries(logs)) {
        writeFileSync(join(process.env.KP_TEST_LOG_DIR, `audit-concurrent-${kind}-${name}.log`), log.text());
      }
    }
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('assigns every entry one index, 0..N-1 without gaps or duplicates, and the export verifies', async () => {
    const ca = readFileSync(stack.pki.caCert, 'utf8');
    const credentials = Object.fromEntries(
      PARTNERS.map((p) => [
        p,
        {
          cert: readFileSync(stack.pki.partners[p].cert, 'utf8'),
          key: readFileSync(stack.pki.partners[p].key, 'utf8'),
        },
      ]),
    );
    // Interleaved, so that both gateways append at the same time throughout.
    const jobs = Array.from({ length: perGateway * 2 }, (_, i) => ({
      url: (i % 2 === 0 ? stack.gateway : second).partnerUrl,
      partner: PARTNERS[i % PARTNERS.length],
    }));
    const post = (url: string, partner: string, signal: unknown) =>
      httpsRequest(`${url}/v1/signals`, {
        method: 'POST',
        body: JSON.stringify(signal),
        headers: { 'content-type': 'application/json' },
        ca,
        timeoutMs: 120_000,
        ...credentials[partner],
      });
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          // Each about a person of its own: the register links records of one person, and a thousand
          // records of one person would test its linkage rather than the audit log.
          const signal = aLoadSignal();
          // 503 + Retry-After means "not stored, retry": a partner resends the same signal (idempotent).
          let answer = await post(job.url, job.partner, signal);
          for (let attempt = 0; answer.status === 503 && attempt < 20; attempt++) {
            await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
            answer = await post(job.url, job.partner, signal);
          }
          statuses.push(answer.status);
          if (answer.status === 202) accepted.push(signal.signalId as string);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    // Both outbox workers keep appending forwarded/delivered entries meanwhile: the checks below read one
    // snapshot, and the export is a prefix of the log that a cosigned checkpoint covers.
    // Retried: on the embedded database both gateways' pools may hold every connection for a moment.
    const query = <T>(text: string) => eventually(() => sql<T>(gatewayDb.url, text), 60_000, 500);
    const [shape] = await query<{ n: string; distinct: string; min: string; max: string; frontier: number }>(
      `SELECT count(*) AS n, count(DISTINCT idx) AS distinct, min(idx) AS min, max(idx) AS max,
                (SELECT (frontier ->> 'size')::int FROM audit_frontier) AS frontier
           FROM audit_entry`,
    );
    const received = await query<{ signal_id: string }>(
      `SELECT signal_id FROM audit_entry WHERE event = 'signal.received'`,
    );
    const n = Number(shape.n);
    expect({
      distinct: Number(shape.distinct),
      min: Number(shape.min),
      max: Number(shape.max),
      frontier: Number(shape.frontier),
      received: received.map((r) => r.signal_id).sort(),
    }).toEqual({ distinct: n, min: 0, max: n - 1, frontier: n, received: [...accepted].sort() });

    // The witness cosigns while both outboxes still deliver: a checkpoint of size ≥ n follows within a few
    // rounds (one a second); two minutes is a ceiling for a loaded machine, not an expectation.
    const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'concurrency-test' });
    await eventually(
      async () => {
        const answer = await httpsRequest(`${stack.gateway.adminUrl}/v1/admin/audit/checkpoints/latest`, {
          ca,
          headers: { authorization: `Bearer ${token}` },
        });
        const latest = answer.status === 200 ? answer.json<{ size: number; cosignatures: string[] }>() : null;
        return latest && latest.size >= n && latest.cosignatures.length > 0 ? true : undefined;
      },
      120_000,
      1_000,
    );
    const dir = join(dataDir, 'export');
    await exportWhenCosigned(stack, dataDir, dir, n);
    const report = await verifyAuditExport(dir);
    expect({ ok: report.ok, covers: report.size >= n, problem: report.problem }).toEqual({
      ok: true,
      covers: true,
      problem: undefined,
    });
  }, 900_000);
});
