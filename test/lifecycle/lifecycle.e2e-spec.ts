import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditExport } from '@ketenpoort/audit';
import { eventually, testDatabaseKinds } from '@ketenpoort/testing';
import { exportWhenCosigned } from '../support/audit-export.js';
import { sql } from '../support/stack-client.js';
import { aPersonSignal, LifecycleFixture, newPerson } from './lifecycle-fixture.js';

const POLICE = 'politie-oost-brabant';
const CARE = 'zorgcoordinator-brabant';

describe.each(testDatabaseKinds())('the data subject’s rights after sending (%s)', (kind) => {
  const f = new LifecycleFixture(kind);

  beforeAll(() => f.start(), 240_000);
  afterAll(() => f.stop(), 60_000);

  describe('retraction', () => {
    it('removes a delivered record from the register, uncounts the person it alone made and audits the reason', async () => {
      const kept = aPersonSignal(2011).build();
      await f.deliver('politie-oost-brabant', kept);
      const signal = aPersonSignal(2011).build();
      const recordId = await f.deliver('politie-oost-brabant', signal);
      expect(await f.persons(2011)).toBe(2);
      expect((await f.analyst('POST', '/v1/statistics/snapshots?year=2011')).status).toBe(201);

      const answer = await f.partner('DELETE', 'politie-oost-brabant', `/v1/signals/${signal.signalId}`, {
        reason: 'entered-in-error',
      });

      expect(answer.status).toBe(200);
      expect(answer.json()).toMatchObject({
        status: 'retracted',
        reason: 'entered-in-error',
        removalRequested: true,
      });
      await eventually(async () => ((await f.registerHolds(recordId)) ? undefined : true));
      expect(await f.persons(2011)).toBe(1);
      const snapshot = (await f.analyst('GET', '/v1/statistics/snapshots/2011')).json<{ revised: boolean }>();
      expect(snapshot.revised).toBe(true);
      const [retracted] = await f.auditEntries(
        (e) => e.event === 'signal.retracted' && e.signalId === signal.signalId,
      );
      expect(retracted.entry).toMatchObject({
        partnerId: 'politie-oost-brabant',
        reason: 'entered-in-error',
        recordId,
        certificateFingerprint: expect.any(String),
      });
      const [removed] = await f.waitForAudit(
        (e) => e.event === 'register.record-removed' && e.recordId === recordId,
      );
      expect(removed.entry.lifecycle).toMatchObject({ removed: true, keptGrounds: [] });
      expect((await f.client.status('politie-oost-brabant', signal.signalId as string)).json()).toMatchObject(
        {
          status: 'retracted',
        },
      );
    });

    it('refuses a retraction without a reason code, or with free text', async () => {
      const signal = aPersonSignal(2011).build();
      await f.deliver('politie-oost-brabant', signal);
      const path = `/v1/signals/${signal.signalId}`;
      const missing = await f.partner('DELETE', 'politie-oost-brabant', path, {});
      const text = await f.partner('DELETE', 'politie-oost-brabant', path, {
        reason: 'Anna gave a wrong name',
      });
      expect([missing.status, text.status]).toEqual([400, 400]);
      expect(text.text).not.toContain('Anna');
    });

    it('answers 404 for another partner’s signal and leaves it alone', async () => {
      const signal = aPersonSignal(2011).build();
      const recordId = await f.deliver('politie-oost-brabant', signal);
      const answer = await f.partner('DELETE', 'kmar', `/v1/signals/${signal.signalId}`, {
        reason: 'duplicate',
      });
      expect(answer.status).toBe(404);
      expect(await f.registerHolds(recordId)).toBe(true);
    });

    it('refuses to retract a signal twice', async () => {
      const signal = aPersonSignal(2011).build();
      await f.deliver('politie-oost-brabant', signal);
      const path = `/v1/signals/${signal.signalId}`;
      await f.partner('DELETE', 'politie-oost-brabant', path, { reason: 'duplicate' });
      const again = await f.partner('DELETE', 'politie-oost-brabant', path, { reason: 'duplicate' });
      expect(again.status).toBe(409);
    });
  });

  describe('correction', () => {
    it('replaces the superseded record at the register and relinks the persons', async () => {
      const anna = newPerson();
      const original = aPersonSignal(2012, anna).build();
      const originalRecord = await f.deliver('politie-oost-brabant', original);
      const byKmar = aPersonSignal(2012, anna).build();
      const kmarRecord = await f.deliver('kmar', byKmar);
      expect(await f.personOf(kmarRecord)).toBe(await f.personOf(originalRecord));
      expect(await f.persons(2012)).toBe(1);

      const correction = aPersonSignal(2012).with('supersedes', original.signalId).build();
      const correctionRecord = await f.deliver('politie-oost-brabant', correction);

      expect(await f.registerHolds(originalRecord)).toBe(false);
      const [stored] = await sql<{ supersedes: string }>(
        f.registerDb.url,
        `SELECT record->>'supersedesRecordId' AS supersedes FROM register_record WHERE record_id = $1`,
        [correctionRecord],
      );
      expect(stored.supersedes).toBe(originalRecord);
      const [tombstone] = await sql<{ cause: string; replaced_by: string }>(
        f.registerDb.url,
        `SELECT cause, replaced_by FROM register_record_removal WHERE record_id = $1`,
        [originalRecord],
      );
      expect(tombstone).toEqual({ cause: 'superseded', replaced_by: correctionRecord });
      expect(await f.personOf(kmarRecord)).not.toBe(await f.personOf(correctionRecord));
      expect(await f.persons(2012)).toBe(2);
      const status = await eventually(async () => {
        const s = (await f.client.status('politie-oost-brabant', original.signalId as string)).json<{
          status: string;
        }>();
        return s.status === 'superseded' ? s : undefined;
      });
      expect(status.status).toBe('superseded');
    });

    it('refuses a correction of an unknown signal', async () => {
      const answer = await f.client.send(
        'politie-oost-brabant',
        aPersonSignal(2012).with('supersedes', '00000000-0000-4000-8000-000000000000').build(),
      );
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({ error: 'SIGNAL.SUPERSEDES_UNKNOWN' });
    });

    it('through the batch endpoint: ends the superseded signal before answering and refuses unknown or ended targets per line', async () => {
      const original = aPersonSignal(2012).build();
      const originalRecord = await f.deliver(POLICE, original);
      const retracted = aPersonSignal(2012).build();
      await f.deliver(POLICE, retracted);
      await f.partner('DELETE', POLICE, `/v1/signals/${retracted.signalId}`, { reason: 'duplicate' });
      const correction = aPersonSignal(2012).with('supersedes', original.signalId).build();
      const ofUnknown = aPersonSignal(2012).with('supersedes', randomUUID()).build();
      const ofEnded = aPersonSignal(2012).with('supersedes', retracted.signalId).build();
      const plain = aPersonSignal(2012).build();

      const answer = await f.batch(POLICE, [correction, ofUnknown, ofEnded, plain]);

      expect(answer.lines.map((l) => [l.status, (l.error as { code?: string } | undefined)?.code])).toEqual([
        ['accepted', undefined],
        ['refused', 'SIGNAL.SUPERSEDES_UNKNOWN'],
        ['refused', 'SIGNAL.SUPERSEDES_ENDED'],
        ['accepted', undefined],
        [undefined, undefined],
      ]);
      expect(answer.lines[1]).toMatchObject({
        signalId: ofUnknown.signalId,
        error: { details: [{ path: 'supersedes', reasons: ['unknown signal'] }] },
      });
      // Already at the answer (the intake's hook), not a sweep round later.
      const rows = await sql<{ signal_id: string; status: string; settled: boolean | null }>(
        f.gatewayDb.url,
        `SELECT signal_id, status,
                CASE WHEN supersedes IS NOT NULL THEN supersedes_settled_at IS NOT NULL END AS settled
           FROM signal WHERE signal_id = ANY($1::uuid[])`,
        [[original, correction, ofUnknown, ofEnded, plain].map((s) => s.signalId)],
      );
      expect(Object.fromEntries(rows.map((r) => [r.signal_id, [r.status, r.settled]]))).toEqual({
        [original.signalId as string]: ['superseded', null],
        [correction.signalId as string]: [expect.any(String), true],
        [plain.signalId as string]: [expect.any(String), null],
      });
      const refusals = await f.auditEntries(
        (e) => e.event === 'signal.refused' && [ofUnknown.signalId, ofEnded.signalId].includes(e.signalId),
      );
      expect(refusals).toHaveLength(2);
      expect(Object.fromEntries(refusals.map((r) => [r.entry.signalId, r.entry.reason]))).toEqual({
        [ofUnknown.signalId as string]: 'SIGNAL.SUPERSEDES_UNKNOWN',
        [ofEnded.signalId as string]: 'SIGNAL.SUPERSEDES_ENDED',
      });
      const [superseded] = await f.auditEntries(
        (e) => e.event === 'signal.superseded' && e.signalId === original.signalId,
      );
      expect(superseded.entry.lifecycle).toMatchObject({ supersededBy: correction.signalId });

      const correctionRecord = (await f.client.waitDelivered(POLICE, correction.signalId as string)).recordId;
      expect(await f.registerHolds(originalRecord)).toBe(false);
      const [stored] = await sql<{ supersedes: string }>(
        f.registerDb.url,
        `SELECT record->>'supersedesRecordId' AS supersedes FROM register_record WHERE record_id = $1`,
        [correctionRecord],
      );
      expect(stored.supersedes).toBe(originalRecord);
    });

    it('through the batch endpoint: a line may correct an earlier line of the same batch', async () => {
      const original = aPersonSignal(2012).build();
      const correction = aPersonSignal(2012).with('supersedes', original.signalId).build();

      const answer = await f.batch(POLICE, [original, correction]);

      expect(answer.lines.slice(0, 2).map((l) => l.status)).toEqual(['accepted', 'accepted']);
      const originalRecord = (answer.lines[0].receipt as { recordId: string }).recordId;
      const correctionRecord = (answer.lines[1].receipt as { recordId: string }).recordId;
      const [row] = await sql<{ status: string }>(
        f.gatewayDb.url,
        `SELECT status FROM signal WHERE record_id = $1`,
        [originalRecord],
      );
      expect(row.status).toBe('superseded');
      await f.client.waitDelivered(POLICE, correction.signalId as string);
      await eventually(async () => ((await f.registerHolds(originalRecord)) ? undefined : true));
      expect(await f.registerHolds(correctionRecord)).toBe(true);
    });
  });

  describe('consent withdrawn', () => {
    it('knows from the intake transaction itself whether a signal rested on consent, single or batched', async () => {
      // No delivery may touch the signal rows meanwhile: their row version must be the intake's.
      await f.stack.stopRegister();
      const care = [aPersonSignal(2013).build(), aPersonSignal(2013).build()];
      const police = [aPersonSignal(2013).build(), aPersonSignal(2013).build()];
      let rows: Array<{ signal_id: string; rested_on_consent: boolean | null; same_transaction: boolean }>;
      try {
        expect((await f.client.send(CARE, care[0])).status).toBe(202);
        expect((await f.client.send(POLICE, police[0])).status).toBe(202);
        expect((await f.batch(CARE, [care[1]])).lines[0].status).toBe('accepted');
        expect((await f.batch(POLICE, [police[1]])).lines[0].status).toBe('accepted');
        rows = await sql(
          f.gatewayDb.url,
          `SELECT s.signal_id, s.rested_on_consent, s.xmin::text = a.xmin::text AS same_transaction
             FROM signal s JOIN audit_entry a ON a.signal_id = s.signal_id AND a.event = 'signal.received'
            WHERE s.signal_id = ANY($1::uuid[])`,
          [[...care, ...police].map((s) => s.signalId)],
        );
      } finally {
        await f.stack.startRegister();
      }
      const bySignal = Object.fromEntries(
        rows.map((r) => [r.signal_id, [r.rested_on_consent, r.same_transaction]]),
      );
      expect(bySignal).toEqual({
        [care[0].signalId as string]: [true, true],
        [care[1].signalId as string]: [true, true],
        [police[0].signalId as string]: [false, true],
        [police[1].signalId as string]: [false, true],
      });
    });

    it('before delivery: nothing arrives at the register', async () => {
      await f.stack.stopRegister();
      const signal = aPersonSignal(2013).build();
      let recordId: string;
      try {
        const answer = await f.client.send('zorgcoordinator-brabant', signal);
        expect(answer.status).toBe(202);
        recordId = answer.json<{ recordId: string }>().recordId;
        const withdrawn = await f.partner(
          'POST',
          'zorgcoordinator-brabant',
          `/v1/signals/${signal.signalId}/consent-withdrawal`,
        );
        expect(withdrawn.status).toBe(200);
        expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
      } finally {
        await f.stack.startRegister();
      }
      const sentinel = aPersonSignal(2013).build();
      await f.deliver('zorgcoordinator-brabant', sentinel);
      await eventually(async () => {
        const [row] = await sql<{ state: string }>(
          f.gatewayDb.url,
          `SELECT state FROM lifecycle_outbox WHERE record_id = $1`,
          [recordId],
        );
        return !row || row.state === 'delivered' ? true : undefined;
      });
      expect(await f.registerHolds(recordId)).toBe(false);
      expect(
        (await f.client.status('zorgcoordinator-brabant', signal.signalId as string)).json(),
      ).toMatchObject({
        status: 'withdrawn',
      });
    });

    it('after delivery: the register removes it and names the grounds that still cover the person', async () => {
      const person = newPerson();
      const byPolice = aPersonSignal(2014, person).build();
      await f.deliver('politie-oost-brabant', byPolice);
      const byCare = aPersonSignal(2014, person).build();
      const careRecord = await f.deliver('zorgcoordinator-brabant', byCare);

      const answer = await f.partner(
        'POST',
        'zorgcoordinator-brabant',
        `/v1/signals/${byCare.signalId}/consent-withdrawal`,
        {},
      );

      expect(answer.status).toBe(200);
      await eventually(async () => ((await f.registerHolds(careRecord)) ? undefined : true));
      const [removed] = await f.waitForAudit(
        (e) => e.event === 'register.record-removed' && e.recordId === careRecord,
      );
      expect(removed.entry.reason).toBe('consent-withdrawn');
      expect(removed.entry.lifecycle?.keptGrounds).toEqual([
        {
          purpose: 'registration',
          reporterType: 'police',
          legalGround: expect.stringMatching(/Police Data Act|Wpg/i),
        },
      ]);
      expect(await f.persons(2014)).toBe(1);
    });

    it('refuses a withdrawal where the signal did not rest on consent', async () => {
      const signal = aPersonSignal(2014).build();
      await f.deliver('politie-oost-brabant', signal);
      const answer = await f.partner(
        'POST',
        'politie-oost-brabant',
        `/v1/signals/${signal.signalId}/consent-withdrawal`,
      );
      expect(answer.status).toBe(409);
      expect(answer.json()).toMatchObject({ error: 'LIFECYCLE.NOT_ON_CONSENT' });
    });
  });

  describe('erasure in the audit log', () => {
    it('needs a second privacy officer; then verify passes naming the redacted entries and lookup finds none', async () => {
      const person = newPerson();
      const signal = aPersonSignal(2015, person).build();
      await f.deliver('politie-oost-brabant', signal);
      const subject = signal.subject as Record<string, unknown>;
      const subjectIds = {
        givenNames: subject.givenNames,
        familyName: subject.familyName,
        birthDate: subject.birthDate,
        documents: subject.documents,
      };
      const first = await f.client.token('privacy-officer', 'fg-one');
      const second = await f.client.token('privacy-officer', 'fg-two');

      const requested = await f.client.admin('POST', '/v1/admin/audit/erasures', first, {
        requestReference: 'AVG-2025-17',
        subject: subjectIds,
      });
      expect(requested.status).toBe(201);
      const erasure = requested.json<{ erasureId: string; leafIndexes: number[]; status: string }>();
      expect(erasure.status).toBe('pending');
      const [received] = await f.auditEntries(
        (e) => e.event === 'signal.received' && e.signalId === signal.signalId,
      );
      expect(erasure.leafIndexes).toEqual([received.idx]);
      expect(requested.text).not.toContain(String(subject.familyName));

      const self = await f.client.admin(
        'POST',
        `/v1/admin/audit/erasures/${erasure.erasureId}/approve`,
        first,
      );
      expect(self.status).toBe(403);
      const approved = await f.client.admin(
        'POST',
        `/v1/admin/audit/erasures/${erasure.erasureId}/approve`,
        second,
      );
      expect(approved.status).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'executed', approvedBy: 'fg-two' });

      const openings = await sql(f.gatewayDb.url, 'SELECT 1 FROM audit_subject_opening WHERE idx = $1', [
        received.idx,
      ]);
      expect(openings).toHaveLength(0);
      const again = await f.client.admin('POST', '/v1/admin/audit/erasures', first, {
        requestReference: 'AVG-2025-18',
        subject: subjectIds,
      });
      expect(again.status).toBe(409);

      const size = (await sql<{ n: string }>(f.gatewayDb.url, 'SELECT count(*) AS n FROM audit_entry'))[0].n;
      const dir = mkdtempSync(join(tmpdir(), 'kp-erasure-export-'));
      try {
        await exportWhenCosigned(f.stack, f.dataDir, dir, Number(size));
        const report = await verifyAuditExport(dir);
        expect(report.ok).toBe(true);
        expect(report.redacted).toContain(received.idx);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an erasure request without a short request reference', async () => {
      const token = await f.client.token('privacy-officer', 'fg-one');
      const answer = await f.client.admin('POST', '/v1/admin/audit/erasures', token, {
        requestReference: 'request of Anna Kowalska born 1999',
        leafIndexes: [0],
      });
      expect(answer.status).toBe(400);
    });

    it('is not open to an auditor', async () => {
      const token = await f.client.token('auditor', 'auditor-one');
      const answer = await f.client.admin('POST', '/v1/admin/audit/erasures', token, {
        requestReference: 'AVG-1',
        leafIndexes: [0],
      });
      expect(answer.status).toBe(403);
    });
  });
});
