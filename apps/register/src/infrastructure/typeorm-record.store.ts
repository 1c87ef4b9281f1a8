import { DataSource } from 'typeorm';
import { RegisterRecordEntity, RegisterRecordTokenEntity } from '@ketenpoort/persistence';
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

export class TypeOrmRecordStore implements RecordStore {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (tx: RecordTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_LOCK]);
      const tx: RecordTransaction = {
        linkage: new TypeOrmLinkageStore(manager),
        removal: new TypeOrmRecordRemoval(manager),
        async findDelivery(recordId: string): Promise<StoredDelivery | null> {
          const found = await manager.findOne(RegisterRecordEntity, {
            where: { recordId },
            select: { recordId: true, payloadDigest: true, receipt: true },
          });
          return found ? { payloadDigest: found.payloadDigest, receipt: found.receipt } : null;
        },
        async insert(row: NewRecordRow): Promise<void> {
          await manager.query(
            `INSERT INTO register_record (record_id, payload_digest, record, reporter_type, report_year,
               sexual_exploitation_only, birth_year, sex, birth_date_estimated, retain_until, received_at, receipt)
             VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [
              row.record.recordId,
              row.payloadDigest,
              JSON.stringify(row.record),
              row.reporterType,
              row.reportYear,
              row.sexualExploitationOnly,
              row.birthYear,
              row.sex,
              row.birthDateEstimated,
              row.retainUntil,
              row.receivedAt,
              row.receipt,
            ],
          );
          const tokens = new Map(row.record.tokens.map((t) => [`${t.kind}\u0000${t.value}`, t]));
          if (tokens.size) {
            await manager.insert(
              RegisterRecordTokenEntity,
              [...tokens.values()].map((t) => ({
                recordId: row.record.recordId,
                kind: t.kind,
                value: t.value,
              })),
            );
          }
        },
      };
      return work(tx);
    });
  }
}
