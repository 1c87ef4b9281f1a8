import { DataSource, type EntityManager } from 'typeorm';
import type {
  NewRecordRow,
  RecordStore,
  RecordTransaction,
  StoredDelivery,
} from '../records/record.store.js';
import { TypeOrmLinkageStore } from './typeorm-linkage.store.js';
import { TypeOrmRecordRemoval } from '../lifecycle/infrastructure/typeorm-record-removal.js';

/** Any constant: one advisory lock serialises intake, so concurrent records cannot miss each other's links. */
export const INTAKE_LOCK = 0x4b_50_52_45_47;

const intakeQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in a transaction under the intake lock — and, within this process, only after the previous
 * one finished: requests waiting their turn wait here, not holding pool connections while they wait for the
 * advisory lock, so the witness, statistics and health keep getting connections under a backlog. (Other
 * register processes still meet at the advisory lock.)
 */
export function inIntakeTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const previous = intakeQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(() =>
    dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK]);
      return work(manager);
    }),
  );
  intakeQueues.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}

export class TypeOrmRecordStore implements RecordStore {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (tx: RecordTransaction) => Promise<T>): Promise<T> {
    return inIntakeTransaction(this.dataSource, async (manager) => {
      const tx: RecordTransaction = {
        linkage: new TypeOrmLinkageStore(manager),
        removal: new TypeOrmRecordRemoval(manager),
        async findDeliveries(recordIds: readonly string[]): Promise<Map<string, StoredDelivery>> {
          if (recordIds.length === 0) return new Map();
          const rows: { record_id: string; payload_digest: string; receipt: string }[] = await manager.query(
            `SELECT record_id, payload_digest, receipt FROM register_record WHERE record_id = ANY($1::uuid[])`,
            [recordIds],
          );
          return new Map(
            rows.map((r) => [r.record_id, { payloadDigest: r.payload_digest, receipt: r.receipt }]),
          );
        },
        async insertMany(rows: readonly NewRecordRow[]): Promise<void> {
          if (rows.length === 0) return;
          await manager.query(
            `INSERT INTO register_record (record_id, payload_digest, record, reporter_type, report_year,
               sexual_exploitation_only, birth_year, sex, birth_date_estimated, retain_until, received_at, receipt)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::int[], $6::boolean[],
                                  $7::int[], $8::text[], $9::boolean[], $10::date[], $11::timestamptz[], $12::text[])`,
            [
              rows.map((row) => row.record.recordId),
              rows.map((row) => row.payloadDigest),
              rows.map((row) => JSON.stringify(row.record)),
              rows.map((row) => row.reporterType),
              rows.map((row) => row.reportYear),
              rows.map((row) => row.sexualExploitationOnly),
              rows.map((row) => row.birthYear),
              rows.map((row) => row.sex),
              rows.map((row) => row.birthDateEstimated),
              rows.map((row) => row.retainUntil),
              rows.map((row) => row.receivedAt),
              rows.map((row) => row.receipt),
            ],
          );
          const tokens = new Map<string, { recordId: string; kind: string; value: string }>();
          for (const row of rows) {
            for (const t of row.record.tokens) {
              const recordId = row.record.recordId;
              tokens.set(`${recordId}\u0000${t.kind}\u0000${t.value}`, {
                recordId,
                kind: t.kind,
                value: t.value,
              });
            }
          }
          if (tokens.size === 0) return;
          const all = [...tokens.values()];
          await manager.query(
            `INSERT INTO register_record_token (record_id, kind, value)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`,
            [all.map((t) => t.recordId), all.map((t) => t.kind), all.map((t) => t.value)],
          );
        },
      };
      return work(tx);
    });
  }
}
