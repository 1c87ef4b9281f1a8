import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import canonicalize from 'canonicalize';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { describeEachDatabase } from '@ketenpoort/testing';
import { startRegister, type RunningRegister } from '../../apps/register/src/main.js';
import { sql } from '../support/stack-client.js';
import { aRecord, aToken } from './register-record.builder.js';
import {
  createRegisterFixture,
  deliver,
  deliverBatch,
  signBatch,
  signRecord,
  type RegisterFixture,
} from './register-fixture.js';

const digestOf = (value: unknown) =>
  `sha256:${createHash('sha256').update(canonicalize(value)!).digest('hex')}`;

interface BatchAnswer {
  batchId: string;
  results: Array<{ recordId: string | null; status: string; receipt?: string; error?: { code: string } }>;
}

/** The register's batch intake: one transaction per batch, each record answered on its own. */
describe('register batch intake', () => {
  let fixture: RegisterFixture;

  beforeAll(async () => {
    fixture = await createRegisterFixture();
  });

  describeEachDatabase('POST /v1/records/batch', (db) => {
    let sut: RunningRegister;

    beforeAll(async () => {
      sut = await startRegister(fixture.config(db.url()));
    });

    afterAll(async () => {
      await sut?.close();
    });

    const send = async (records: RegisterRecord[], entries = records.map((r) => r)) => {
      const batch = await signBatch(
        entries.map((r) => ({ recordId: r.recordId, payloadDigest: digestOf(r) })),
        fixture.gatewayKey,
      );
      const answer = await deliverBatch(sut.intakeUrl, fixture.pki, batch, records);
      expect(answer.status).toBe(200);
      return answer.json<BatchAnswer>().results;
    };
    const personsOf = async (recordIds: string[]) =>
      (
        await sql<{ person_id: string }>(
          db.url(),
          `SELECT person_id FROM register_person_record WHERE record_id = ANY($1::uuid[]) ORDER BY record_id`,
          [recordIds],
        )
      ).map((row) => row.person_id);

    it('stores every record of a batch, in order, each with its own receipt', async () => {
      const records = Array.from({ length: 25 }, (_, i) =>
        aRecord()
          .withTokens(aToken('nds', `batch-a-${i}`))
          .build(),
      );
      const results = await send(records);
      expect(results.map((r) => [r.recordId, r.status])).toEqual(records.map((r) => [r.recordId, 'stored']));
      expect(new Set(results.map((r) => r.receipt)).size).toBe(25);
      expect(new Set(await personsOf(records.map((r) => r.recordId))).size).toBe(25);
    });

    it('links records of one batch to each other and to earlier records', async () => {
      const earlier = aRecord().withTokens(aToken('nds', 'batch-b')).build();
      expect(
        (await deliver(sut.intakeUrl, fixture.pki, await signRecord(earlier, fixture.gatewayKey))).status,
      ).toBe(201);
      const sameName = aRecord().withTokens(aToken('nds', 'batch-b'), aToken('doc', 'batch-b')).build();
      const sameDocument = aRecord().withTokens(aToken('doc', 'batch-b')).build();
      const stranger = aRecord().withTokens(aToken('doc', 'batch-b-other')).build();
      await send([sameDocument, stranger, sameName]);
      const [a, b, c, d] = await personsOf(
        [earlier, sameDocument, sameName, stranger].map((r) => r.recordId),
      );
      const byRecord = new Map(
        [earlier, sameDocument, sameName, stranger]
          .map((r) => r.recordId)
          .sort()
          .map((id, i) => [id, [a, b, c, d][i]]),
      );
      expect(byRecord.get(sameDocument.recordId)).toBe(byRecord.get(earlier.recordId));
      expect(byRecord.get(sameName.recordId)).toBe(byRecord.get(earlier.recordId));
      expect(byRecord.get(stranger.recordId)).not.toBe(byRecord.get(earlier.recordId));
      const persons = await sql<{ n: number }>(
        db.url(),
        `SELECT count(*)::int AS n FROM register_person p
          WHERE NOT EXISTS (SELECT 1 FROM register_person_record m WHERE m.person_id = p.person_id)`,
      );
      expect(persons[0].n).toBe(0);
    });

    it('refuses a record that does not match its signed digest and stores the others', async () => {
      const good = aRecord().withTokens(aToken('nds', 'batch-c-1')).build();
      const signedAs = aRecord().withTokens(aToken('nds', 'batch-c-2')).build();
      const sent = { ...signedAs, reportedAt: '2019-01-01' };
      const results = await send([good, sent], [good, signedAs]);
      expect(results.map((r) => r.status)).toEqual(['stored', 'refused']);
      expect(results[1].error?.code).toBe('RECORD.SIGNATURE_INVALID');
      expect(await personsOf([signedAs.recordId])).toEqual([]);
    });

    it('answers a record id twice in one batch, and a batch sent again, with the first receipt', async () => {
      const record = aRecord().withTokens(aToken('nds', 'batch-d')).build();
      const first = await send([record, record]);
      expect(first.map((r) => r.status)).toEqual(['stored', 'existing']);
      expect(first[1].receipt).toBe(first[0].receipt);
      const again = await send([record]);
      expect(again).toEqual([expect.objectContaining({ status: 'existing', receipt: first[0].receipt })]);
      expect(await personsOf([record.recordId])).toHaveLength(1);
    });

    it('refuses other content under a record id of the same batch or of an earlier one', async () => {
      const record = aRecord().withTokens(aToken('nds', 'batch-e')).build();
      const changed = { ...record, reportedAt: '2019-02-02' };
      const results = await send([record, changed]);
      expect(results.map((r) => [r.status, r.error?.code])).toEqual([
        ['stored', undefined],
        ['refused', 'RECORD.CONFLICT'],
      ]);
      const later = await send([changed]);
      expect(later[0].error?.code).toBe('RECORD.CONFLICT');
    });

    it('replaces the record a correction in the batch supersedes, and links the correction', async () => {
      const original = aRecord().withTokens(aToken('nds', 'batch-f')).build();
      await send([original]);
      const correction = aRecord().withTokens(aToken('nds', 'batch-f')).build();
      const withSupersedes = { ...correction, supersedesRecordId: original.recordId };
      const neighbour = aRecord().withTokens(aToken('nds', 'batch-f')).build();
      const results = await send([withSupersedes, neighbour]);
      expect(results.map((r) => r.status)).toEqual(['stored', 'stored']);
      const stored = await sql<{ record_id: string }>(
        db.url(),
        `SELECT record_id FROM register_record WHERE record_id = ANY($1::uuid[])`,
        [[original.recordId, correction.recordId, neighbour.recordId]],
      );
      expect(stored.map((r) => r.record_id).sort()).toEqual([correction.recordId, neighbour.recordId].sort());
      const persons = await personsOf([correction.recordId, neighbour.recordId]);
      expect(persons).toHaveLength(2);
      expect(persons[0]).toBe(persons[1]);
      // A late delivery of the superseded record stays out.
      const late = await send([original]);
      expect(late[0].error?.code).toBe('RECORD.CONFLICT');
    });

    it('refuses a batch whose records do not match the signed list with 400', async () => {
      const record = aRecord().withTokens(aToken('nds', 'batch-g')).build();
      const batch = await signBatch(
        [
          { recordId: randomUUID(), payloadDigest: digestOf(record) },
          { recordId: record.recordId, payloadDigest: digestOf(record) },
        ],
        fixture.gatewayKey,
      );
      const answer = await deliverBatch(sut.intakeUrl, fixture.pki, batch, [record]);
      expect(answer.status).toBe(400);
      expect(await personsOf([record.recordId])).toEqual([]);
    });
  });
});
