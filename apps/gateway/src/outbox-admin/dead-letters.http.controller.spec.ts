import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  aSignal,
  createTestDatabase,
  eventually,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { startStack, type RunningStack } from '../../../cli/src/stack/stack.js';
import { StackClient, sql } from '../../../../test/support/stack-client.js';
import { DeadLettersHttpController } from './dead-letters.http.controller.js';

const PARTNER = 'politie-oost-brabant';

describe.each(testDatabaseKinds())(`${DeadLettersHttpController.name} (%s)`, (kind) => {
  let dataDir: string;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;
  let stack: RunningStack;
  let sut: StackClient;
  let refusingRegister: Server;
  let recordId: string;
  let signalId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-dead-letters-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
    });
    sut = new StackClient(stack, dataDir);
    // In the register's place: a listener that refuses every single record as invalid (422), as a
    // register with a stricter schema would, and knows no other route (404: no batch endpoint).
    const port = Number(new URL(stack.register.intakeUrl).port);
    await stack.stopRegister();
    refusingRegister = createServer(
      {
        cert: readFileSync(stack.pki.registerServer.cert, 'utf8'),
        key: readFileSync(stack.pki.registerServer.key, 'utf8'),
      },
      (req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.method !== 'POST' || req.url !== '/v1/records') {
            res.writeHead(404, { 'content-type': 'application/json' });
            return res.end(JSON.stringify({ error: 'HTTP.NOT_FOUND' }));
          }
          res.writeHead(422, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'RECORD.INVALID', fields: [{ path: 'record.data.subject' }] }));
        });
      },
    );
    await new Promise<void>((done) => refusingRegister.listen(port, '127.0.0.1', done));
    const signal = aSignal().build();
    signalId = signal.signalId as string;
    const answer = await sut.send(PARTNER, signal);
    recordId = answer.json<{ recordId: string }>().recordId;
    await eventually(async () =>
      (await sut.status(PARTNER, signalId)).json<{ status: string }>().status === 'dead-lettered'
        ? true
        : undefined,
    );
    await new Promise<void>((done) => refusingRegister.close(() => done()));
    refusingRegister.closeAllConnections();
    await stack.startRegister();
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('lists a dead letter with its refusal code and no payload', async () => {
    const answer = await sut.admin(
      'GET',
      '/v1/admin/outbox/dead-letters',
      await sut.token('integrator', 'ops'),
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      deadLetters: [
        {
          recordId,
          signalId,
          partnerId: PARTNER,
          reason: 'REGISTER.REFUSED_422',
          attempts: 1,
          createdAt: expect.any(String),
        },
      ],
    });
  });

  it('keeps the transformed payload of a dead letter and nothing is delivered on its own', async () => {
    const [row] = await sql<{ state: string; payload: unknown }>(
      gatewayDb.url,
      'SELECT state, payload FROM outbox WHERE record_id = $1',
      [recordId],
    );
    expect(row).toMatchObject({ state: 'dead', payload: expect.objectContaining({ recordId }) });
    expect(JSON.stringify(row.payload)).not.toContain('Kowalska');
  });

  it('refuses a replay by a caller without the integrator role', async () => {
    const answer = await sut.admin(
      'POST',
      '/v1/admin/outbox/dead-letters/replay',
      await sut.token('auditor', 'auditor-1'),
      { recordIds: [recordId] },
    );
    expect(answer.status).toBe(403);
  });

  it('refuses a replay whose record ids are not UUIDs with 400', async () => {
    const answer = await sut.admin(
      'POST',
      '/v1/admin/outbox/dead-letters/replay',
      await sut.token('integrator', 'ops'),
      { recordIds: ['not-a-uuid'] },
    );
    expect(answer.status).toBe(400);
  });

  it('replays a dead letter to the register, which then holds it, and audits who replayed it', async () => {
    const answer = await sut.admin(
      'POST',
      '/v1/admin/outbox/dead-letters/replay',
      await sut.token('integrator', 'ops-1'),
      { recordIds: [recordId] },
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ replayed: [recordId] });
    await sut.waitDelivered(PARTNER, signalId);
    const stored = await sql(registerDb.url, 'SELECT record_id FROM register_record WHERE record_id = $1', [
      recordId,
    ]);
    expect(stored).toHaveLength(1);
    const replays = (
      await sql<{ entry: string }>(gatewayDb.url, 'SELECT entry FROM audit_entry ORDER BY idx')
    )
      .map(
        (r) => JSON.parse(r.entry) as { event: string; reason?: string; actor?: string; recordId?: string },
      )
      .filter((e) => e.reason === 'DEAD_LETTER.REPLAYED');
    expect(replays).toEqual([
      expect.objectContaining({ event: 'signal.forwarded', recordId, actor: 'ops-1' }),
    ]);
  });

  it('replays nothing when no dead letter is left', async () => {
    const answer = await sut.admin(
      'POST',
      '/v1/admin/outbox/dead-letters/replay',
      await sut.token('integrator', 'ops'),
      {},
    );
    expect(answer.json()).toEqual({ replayed: [] });
  });
});
