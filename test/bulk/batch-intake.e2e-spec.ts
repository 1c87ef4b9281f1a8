import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  aSignal,
  createTestDatabase,
  eventually,
  httpsRequest,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { sendFile } from '../../apps/cli/src/send/send-file.js';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { sql } from '../support/stack-client.js';
import { ndjson, openBatch, sendBatch, type BatchCredentials } from './batch-client.js';

const CONFIG_DIR = resolve('config');
const POLICE = 'politie-oost-brabant';

/** A valid signal about a person no other call of this function names. */
function distinctSignal(n: number) {
  const tag = `${n}${randomUUID().slice(0, 8)}`.replace(/[^a-z0-9]/gi, '');
  return aSignal()
    .withSubject({
      givenNames: `Bulk${tag}`,
      familyName: `Persoon${tag}`,
      documents: [{ type: 'passport', country: 'PL', number: `EB${tag.toUpperCase()}`.slice(0, 20) }],
    })
    .build();
}

describe.each(testDatabaseKinds())('bulk intake: POST /v1/signals/batch and group commit (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  let credentials: BatchCredentials;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-bulk-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: CONFIG_DIR,
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500, batchSize: 50 },
      rateLimit: { requestsPerSecond: 10_000, burst: 10_000 },
    });
    credentials = {
      ca: readFileSync(stack.pki.caCert, 'utf8'),
      cert: readFileSync(stack.pki.partners[POLICE].cert, 'utf8'),
      key: readFileSync(stack.pki.partners[POLICE].key, 'utf8'),
    };
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const gatewayCount = async (signalIds: string[]) =>
    Number(
      (
        await sql<{ n: string }>(
          gatewayDb.url,
          'SELECT count(*) AS n FROM signal WHERE signal_id = ANY($1::uuid[])',
          [signalIds],
        )
      )[0].n,
    );

  it('answers one receipt per line in line order, then a summary', async () => {
    const signals = Array.from({ length: 30 }, (_, i) => distinctSignal(i));
    const answer = await sendBatch(stack.gateway.partnerUrl, credentials, ndjson(signals));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/x-ndjson/);
    const receipts = answer.lines.slice(0, -1);
    expect(receipts.map((r) => [r.line, r.signalId, r.status])).toEqual(
      signals.map((s, i) => [i + 1, s.signalId, 'accepted']),
    );
    expect(answer.lines.at(-1)).toEqual({ summary: { lines: 30, accepted: 30, duplicate: 0, refused: 0 } });
  });

  it('refuses a bad line among accepted ones by code and field path, and stores the others', async () => {
    const good = [distinctSignal(1), distinctSignal(2), distinctSignal(3)];
    const invalid = aSignal().without('purpose').with('subject.sex', 'Kanarievogel').build();
    const body = [
      JSON.stringify(good[0]),
      JSON.stringify(invalid),
      '{"signalId": not json',
      JSON.stringify(good[1]),
      '',
      JSON.stringify(good[2]),
    ].join('\n');
    const answer = await sendBatch(stack.gateway.partnerUrl, credentials, body);
    const byLine = new Map(answer.lines.filter((l) => 'line' in l).map((l) => [l.line, l]));
    expect([...byLine.keys()]).toEqual([1, 2, 3, 4, 6]);
    expect(byLine.get(2)).toMatchObject({
      status: 'refused',
      signalId: invalid.signalId,
      error: { code: 'SIGNAL.INVALID' },
    });
    const paths = (byLine.get(2)!.error as { details: Array<{ path: string }> }).details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['purpose', 'subject.sex']));
    expect(JSON.stringify(byLine.get(2))).not.toContain('Kanarievogel');
    expect(byLine.get(3)).toMatchObject({ status: 'refused', error: { code: 'HTTP.BAD_REQUEST' } });
    expect([1, 4, 6].map((n) => byLine.get(n)!.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await gatewayCount(good.map((s) => s.signalId as string))).toBe(3);
    expect(await gatewayCount([invalid.signalId as string])).toBe(0);
  });

  it('refuses a line above the per-line size limit and goes on with the next line', async () => {
    const huge = aSignal()
      .withSituation({ narrative: 'x'.repeat(70 * 1024) })
      .build();
    const after = distinctSignal(9);
    const answer = await sendBatch(stack.gateway.partnerUrl, credentials, ndjson([huge, after]));
    expect(answer.lines[0]).toMatchObject({
      line: 1,
      status: 'refused',
      error: { code: 'SIGNAL.TOO_LARGE' },
    });
    expect(answer.lines[1]).toMatchObject({ line: 2, status: 'accepted', signalId: after.signalId });
  });

  it('answers a re-sent batch with duplicates carrying the original receipts, storing nothing twice', async () => {
    const signals = Array.from({ length: 10 }, (_, i) => distinctSignal(i));
    const first = await sendBatch(stack.gateway.partnerUrl, credentials, ndjson(signals));
    const again = await sendBatch(stack.gateway.partnerUrl, credentials, ndjson(signals));
    expect(again.lines.slice(0, -1).map((l) => l.status)).toEqual(Array(10).fill('duplicate'));
    expect(again.lines.slice(0, -1).map((l) => (l.receipt as { recordId: string }).recordId)).toEqual(
      first.lines.slice(0, -1).map((l) => (l.receipt as { recordId: string }).recordId),
    );
    expect(await gatewayCount(signals.map((s) => s.signalId as string))).toBe(10);
  });

  it('commits what it acknowledged when the client aborts mid-stream, and nothing of the cut line', async () => {
    const complete = Array.from({ length: 12 }, (_, i) => distinctSignal(i));
    const cut = distinctSignal(99);
    const acknowledged: string[] = [];
    let allAcknowledged!: () => void;
    const twelve = new Promise<void>((r) => (allAcknowledged = r));
    const { request, answer } = openBatch(stack.gateway.partnerUrl, credentials, (line) => {
      if (line.status === 'accepted') acknowledged.push(line.signalId as string);
      if (acknowledged.length === complete.length) allAcknowledged();
    });
    request.write(ndjson(complete));
    request.write(JSON.stringify(cut).slice(0, 200));
    await twelve;
    request.destroy();
    await answer.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(acknowledged).toEqual(complete.map((s) => s.signalId));
    expect(await gatewayCount(acknowledged)).toBe(12);
    expect(await gatewayCount([cut.signalId as string])).toBe(0);
  });

  it('ketenpoort send resumes an interrupted file by signal id and writes every receipt once', async () => {
    const signals = Array.from({ length: 25 }, (_, i) => distinctSignal(i));
    const file = join(dataDir, 'backfill.ndjson');
    const receiptsPath = join(dataDir, 'backfill.receipts.ndjson');
    writeFileSync(file, ndjson(signals));
    const options = {
      partnerId: POLICE,
      file,
      dataDir,
      gatewayUrl: stack.gateway.partnerUrl,
      receiptsPath,
      batchSize: 10,
    };
    const abort = new AbortController();
    abort.abort();
    const first = await sendFile({ ...options, signal: abort.signal });
    expect(first).toMatchObject({ accepted: 10, skipped: 0, interrupted: true });
    appendFileSync(receiptsPath, '{"line": 11, "signalId": "torn'); // a crash mid-write

    const second = await sendFile(options);
    expect(second).toMatchObject({
      lines: 25,
      accepted: 15,
      duplicate: 0,
      refused: 0,
      skipped: 10,
      interrupted: false,
    });
    const receipts = readFileSync(receiptsPath, 'utf8')
      .split('\n')
      .flatMap((t) => {
        try {
          return [JSON.parse(t) as { line: number; signalId: string; status: string }];
        } catch {
          return [];
        }
      });
    expect(receipts.map((r) => r.line)).toEqual(signals.map((_, i) => i + 1));
    expect(receipts.map((r) => r.signalId)).toEqual(signals.map((s) => s.signalId));
    expect(await gatewayCount(signals.map((s) => s.signalId as string))).toBe(25);
  });

  it('refuses another media type before reading', async () => {
    const { request, answer } = openBatch(
      stack.gateway.partnerUrl,
      credentials,
      undefined,
      'application/json',
    );
    request.end('[]');
    expect((await answer).status).toBe(415);
  });

  it('acknowledges 100 concurrent single signals, stores each once at the register, with a contiguous audit log', async () => {
    const signals = Array.from({ length: 100 }, (_, i) => distinctSignal(i));
    const answers = await Promise.all(
      signals.map((s) =>
        httpsRequest(`${stack.gateway.partnerUrl}/v1/signals`, {
          method: 'POST',
          body: JSON.stringify(s),
          headers: { 'content-type': 'application/json' },
          ...credentials,
          timeoutMs: 60_000,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(202));
    const recordIds = answers.map((a) => a.json<{ recordId: string }>().recordId);
    await eventually(async () => {
      const [row] = await sql<{ n: string }>(
        registerDb.url,
        'SELECT count(*) AS n FROM register_record WHERE record_id = ANY($1::uuid[])',
        [recordIds],
      );
      return Number(row.n) === 100 ? true : undefined;
    }, 60_000);
    const [audit] = await sql<{ n: string; lo: string; hi: string }>(
      gatewayDb.url,
      'SELECT count(*) AS n, min(idx) AS lo, max(idx) AS hi FROM audit_entry',
    );
    expect(Number(audit.lo)).toBe(0);
    expect(Number(audit.hi)).toBe(Number(audit.n) - 1);
    const received = await sql<{ signal_id: string; n: string }>(
      gatewayDb.url,
      `SELECT signal_id, count(*) AS n FROM audit_entry WHERE event = 'signal.received' AND signal_id = ANY($1::uuid[])
        GROUP BY signal_id`,
      [signals.map((s) => s.signalId)],
    );
    expect(received).toHaveLength(100);
    expect(received.every((r) => Number(r.n) === 1)).toBe(true);
    const delivered = await eventually(async () => {
      const [row] = await sql<{ n: string }>(
        gatewayDb.url,
        `SELECT count(*) AS n FROM signal WHERE status = 'delivered' AND record_id = ANY($1::uuid[])`,
        [recordIds],
      );
      return Number(row.n) === 100 ? Number(row.n) : undefined;
    }, 30_000);
    expect(delivered).toBe(100);
  }, 90_000);
});
