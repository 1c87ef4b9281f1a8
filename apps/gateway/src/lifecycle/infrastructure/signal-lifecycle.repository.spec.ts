import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  EMBEDDED_POOL_SIZE,
  GATEWAY_ENTITIES,
  GATEWAY_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { describeEachDatabase } from '@ketenpoort/testing';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';
import { DeadLetterRepository } from '../../outbox-admin/infrastructure/dead-letter.repository.js';
import { SignalLifecycleRepository, type EndRequest } from './signal-lifecycle.repository.js';

const PARTNER = 'politie-oost-brabant';

interface Row {
  recordId: string;
  signalId: string;
}

/** A signal row as the intake stores it (ids only), optionally a correction of `supersedes`. */
async function insertSignal(
  ds: DataSource,
  what: { status?: string; supersedes?: string; receivedAt?: string } = {},
): Promise<Row> {
  const row = { recordId: randomUUID(), signalId: randomUUID() };
  await ds.query(
    `INSERT INTO signal (record_id, partner_id, signal_id, body_digest, purpose, policy_version, key_version,
       status, correlation_id, supersedes, receipt, received_at, delivered_at)
     VALUES ($1, $2, $3, 'hmac:x', 'registration', 'v1', 1, $4, $5, $6, '{}'::jsonb, $7, NULL)`,
    [
      row.recordId,
      PARTNER,
      row.signalId,
      what.status ?? 'accepted',
      randomUUID(),
      what.supersedes ?? null,
      what.receivedAt ?? new Date().toISOString(),
    ],
  );
  return row;
}

function supersede(correction: Row, original: Row): EndRequest {
  return {
    partnerId: PARTNER,
    signalId: original.signalId,
    status: 'superseded',
    reason: 'superseded',
    removal: 'superseded',
    afterRecordId: correction.recordId,
    inFlightMs: 1000,
    audit: (outcome) => ({
      event: 'signal.superseded',
      at: new Date().toISOString(),
      correlationId: outcome.signal.recordId,
      partnerId: PARTNER,
      signalId: original.signalId,
      recordId: outcome.signal.recordId,
      reason: 'superseded',
    }),
  };
}

describe(SignalLifecycleRepository.name, () => {
  describeEachDatabase('corrections and their settlement', (db) => {
    let ds: DataSource;
    let sut: SignalLifecycleRepository;
    const before = GATEWAY_MIGRATIONS.slice(0, -1);
    // Stored before the settlement migration: what its backfill must sort out.
    const legacy = {} as Record<'settled' | 'unsettled' | 'correctionEnded' | 'targetUnknown', Row>;

    beforeAll(async () => {
      const old = createDataSource({
        url: db.url(),
        entities: GATEWAY_ENTITIES,
        migrations: before,
        poolSize: EMBEDDED_POOL_SIZE,
      });
      await runMigrations(old);
      const ended = await insertSignal(old, { status: 'superseded' });
      legacy.settled = await insertSignal(old, { supersedes: ended.signalId });
      const active = await insertSignal(old, { status: 'delivered' });
      legacy.unsettled = await insertSignal(old, {
        supersedes: active.signalId,
        receivedAt: '2020-01-01T00:00:00Z',
      });
      const other = await insertSignal(old);
      legacy.correctionEnded = await insertSignal(old, { supersedes: other.signalId, status: 'retracted' });
      legacy.targetUnknown = await insertSignal(old, { supersedes: randomUUID() });
      await old.destroy();

      ds = createDataSource({
        url: db.url(),
        entities: GATEWAY_ENTITIES,
        migrations: GATEWAY_MIGRATIONS,
        poolSize: EMBEDDED_POOL_SIZE,
      });
      await runMigrations(ds);
      sut = new SignalLifecycleRepository(ds, new AuditLog(ds));
    });
    afterAll(async () => {
      await ds?.destroy();
    });

    const unsettled = async () => (await sut.unsettledCorrections(50)).map((c) => c.signalId);

    it('leaves only the corrections the former sweep still picked up unsettled after the migration', async () => {
      const ids = await unsettled();
      expect(ids).toContain(legacy.unsettled.signalId);
      expect(ids).not.toContain(legacy.settled.signalId);
      expect(ids).not.toContain(legacy.correctionEnded.signalId);
      expect(ids).not.toContain(legacy.targetUnknown.signalId);
    });

    it('lists a new correction as unsettled, oldest first, and never a signal that corrects nothing', async () => {
      const plain = await insertSignal(ds);
      const original = await insertSignal(ds);
      const correction = await insertSignal(ds, { supersedes: original.signalId });

      const listed = await sut.unsettledCorrections(50);

      expect(listed.map((c) => c.signalId)).not.toContain(plain.signalId);
      expect(listed[0].signalId).toBe(legacy.unsettled.signalId);
      expect(listed.find((c) => c.signalId === correction.signalId)).toEqual({
        recordId: correction.recordId,
        partnerId: PARTNER,
        signalId: correction.signalId,
        supersedes: original.signalId,
        status: 'accepted',
      });
    });

    it('settles the correction in the transaction that ends the superseded signal', async () => {
      const original = await insertSignal(ds);
      const correction = await insertSignal(ds, { supersedes: original.signalId });

      const outcome = await sut.end(supersede(correction, original));

      expect(outcome).toMatchObject({ signal: { recordId: original.recordId } });
      expect((await sut.find(PARTNER, original.signalId))?.status).toBe('superseded');
      expect(await unsettled()).not.toContain(correction.signalId);
      const audited = await ds.query(
        `SELECT count(*)::int AS n FROM audit_entry WHERE event = 'signal.superseded' AND signal_id = $1`,
        [original.signalId],
      );
      expect(audited).toEqual([{ n: 1 }]);
    });

    it('settles the correction when the signal it supersedes had already ended', async () => {
      const original = await insertSignal(ds, { status: 'retracted' });
      const correction = await insertSignal(ds, { supersedes: original.signalId });

      const outcome = await sut.end(supersede(correction, original));

      expect(outcome).toEqual({ ended: 'retracted' });
      expect(await unsettled()).not.toContain(correction.signalId);
    });

    it('cancels the dead letter of a signal it ends, so that it can never be replayed', async () => {
      const original = await insertSignal(ds, { status: 'dead-lettered' });
      const other = await insertSignal(ds, { status: 'dead-lettered' });
      for (const row of [original, other]) {
        await ds.query(
          `INSERT INTO outbox (record_id, destination, payload, payload_digest, state, attempts, next_attempt_at,
             created_at, last_error)
           VALUES ($1, 'register', '{"kept":"payload"}'::jsonb, 'sha256:x', 'dead', 1, now(), now(), 'REGISTER.REFUSED')`,
          [row.recordId],
        );
      }
      const correction = await insertSignal(ds, { supersedes: original.signalId });

      await sut.end(supersede(correction, original));

      const outbox = await ds.query(`SELECT state, payload FROM outbox WHERE record_id = $1`, [
        original.recordId,
      ]);
      expect(outbox).toEqual([{ state: 'cancelled', payload: null }]);
      const replayed = await new DeadLetterRepository(ds, new AuditLog(ds)).replay(
        [original.recordId, other.recordId],
        10,
        'operator',
      );
      expect(replayed).toEqual([other.recordId]);
      expect((await sut.find(PARTNER, original.signalId))?.status).toBe('superseded');
    });

    it('never replays the dead letter of a signal that ended some other way', async () => {
      const ended = await insertSignal(ds, { status: 'retracted' });
      await ds.query(
        `INSERT INTO outbox (record_id, destination, payload, payload_digest, state, attempts, next_attempt_at,
           created_at, last_error)
         VALUES ($1, 'register', '{"kept":"payload"}'::jsonb, 'sha256:x', 'dead', 1, now(), now(), 'REGISTER.REFUSED')`,
        [ended.recordId],
      );
      expect(
        await new DeadLetterRepository(ds, new AuditLog(ds)).replay([ended.recordId], 10, 'operator'),
      ).toEqual([]);
      expect((await sut.find(PARTNER, ended.signalId))?.status).toBe('retracted');
    });

    it('reads the sweep from the partial index of unsettled corrections', async () => {
      const plan = await ds.transaction(async (manager) => {
        // Only whether the index can serve the sweep's own query is asked, not what a tiny table costs.
        await manager.query('SET LOCAL enable_seqscan = off');
        const explaining = {
          query: (text: string, params?: unknown[]) => manager.query(`EXPLAIN ${text}`, params),
        } as unknown as DataSource;
        const rows = await new SignalLifecycleRepository(explaining, new AuditLog(ds)).unsettledCorrections(
          50,
        );
        return rows.map((r) => Object.values(r)[0]).join('\n');
      });
      expect(plan).toContain('signal_unsettled_correction');
      expect(plan).not.toMatch(/Seq Scan/);
    });
  });
});
