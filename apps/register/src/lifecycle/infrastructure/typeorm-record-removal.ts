import type { DataSource, EntityManager } from 'typeorm';
import type { KeptGround, LinkageToken } from '@ketenpoort/signal-contract';
import { inIntakeTransaction } from '../../infrastructure/typeorm-record.store.js';
import { TypeOrmLinkageStore } from '../../infrastructure/typeorm-linkage.store.js';
import { PersonLinker } from '../../linkage/index.js';
import type {
  LifecycleTransaction,
  RecordRemoval,
  RecordRemovalStore,
  RemovalOutcome,
  RemovalRequest,
  StoredRetentionReport,
} from '../record-removal.js';

interface TombstoneRow {
  held: boolean;
  purpose: string | null;
  removed_at: Date;
  kept_grounds: KeptGround[];
}

/** Record removal over the transaction's EntityManager. */
export class TypeOrmRecordRemoval implements RecordRemoval {
  private readonly linker = new PersonLinker();

  constructor(private readonly manager: EntityManager) {}

  async removedAmong(recordIds: readonly string[]): Promise<Set<string>> {
    if (recordIds.length === 0) return new Set();
    const rows: { record_id: string }[] = await this.manager.query(
      `SELECT record_id FROM register_record_removal WHERE record_id = ANY($1::uuid[])`,
      [recordIds],
    );
    return new Set(rows.map((row) => row.record_id));
  }

  async remove(recordId: string, request: RemovalRequest): Promise<RemovalOutcome> {
    const [before]: TombstoneRow[] = await this.manager.query(
      `SELECT held, purpose, removed_at, kept_grounds FROM register_record_removal WHERE record_id = $1`,
      [recordId],
    );
    if (before) {
      return {
        recordId,
        removed: before.held,
        repeated: true,
        purpose: before.purpose,
        removedAt: new Date(before.removed_at).toISOString(),
        keptGrounds: before.kept_grounds,
      };
    }
    const [row]: {
      birth_year: number | null;
      sex: string | null;
      birth_date_estimated: boolean;
      purpose: string;
      report_year: number;
    }[] = await this.manager.query(
      `SELECT birth_year, sex, birth_date_estimated, record->>'purpose' AS purpose, report_year
         FROM register_record WHERE record_id = $1 FOR UPDATE`,
      [recordId],
    );
    const removedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    let keptGrounds: KeptGround[] = [];
    if (row) {
      const tokens: LinkageToken[] = await this.manager.query(
        `SELECT kind, value FROM register_record_token WHERE record_id = $1`,
        [recordId],
      );
      const companions: { record_id: string }[] = await this.manager.query(
        `SELECT record_id FROM register_person_record
          WHERE person_id = (SELECT person_id FROM register_person_record WHERE record_id = $1)
            AND record_id <> $1`,
        [recordId],
      );
      await this.linker.unlink(
        {
          recordId,
          tokens,
          birthYear: row.birth_year,
          sex: row.sex,
          birthDateEstimated: row.birth_date_estimated,
        },
        new TypeOrmLinkageStore(this.manager),
        async () => {
          await this.manager.query(`DELETE FROM register_record WHERE record_id = $1`, [recordId]);
        },
      );
      keptGrounds = await this.groundsOf(companions.map((c) => c.record_id));
    }
    await this.manager.query(
      `INSERT INTO register_record_removal
         (record_id, cause, reason, held, purpose, report_year, replaced_by, kept_grounds, removed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
      [
        recordId,
        request.cause,
        request.reason ?? null,
        !!row,
        row?.purpose ?? null,
        row?.report_year ?? null,
        request.replacedBy ?? null,
        JSON.stringify(keptGrounds),
        removedAt,
      ],
    );
    return {
      recordId,
      removed: !!row,
      repeated: false,
      purpose: row?.purpose ?? null,
      removedAt: removedAt.toISOString(),
      keptGrounds,
    };
  }

  /** Distinct (purpose, reporter type, legal ground) of records that stay: no ids, no organisations. */
  private async groundsOf(recordIds: string[]): Promise<KeptGround[]> {
    if (recordIds.length === 0) return [];
    const rows: KeptGround[] = await this.manager.query(
      `SELECT DISTINCT record->>'purpose' AS "purpose", reporter_type AS "reporterType",
              record->>'legalGround' AS "legalGround"
         FROM register_record WHERE record_id = ANY($1::uuid[])
        ORDER BY 1, 2, 3`,
      [recordIds],
    );
    return rows;
  }
}

/** Removals in their own transaction, under the same advisory lock as intake. */
export class TypeOrmRecordRemovalStore implements RecordRemovalStore {
  constructor(private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (tx: LifecycleTransaction) => Promise<T>): Promise<T> {
    return inIntakeTransaction(this.dataSource, async (manager) =>
      work(new TypeOrmLifecycleTransaction(manager)),
    );
  }

  async retentionReportsAfter(seq: number, limit: number): Promise<StoredRetentionReport[]> {
    const rows: {
      seq: string;
      report_id: string;
      ran_at: Date;
      deleted: StoredRetentionReport['deleted'];
    }[] = await this.dataSource.query(
      `SELECT seq, report_id, ran_at, deleted FROM register_retention_report WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [seq, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      reportId: r.report_id,
      ranAt: new Date(r.ran_at),
      deleted: r.deleted,
    }));
  }
}

class TypeOrmLifecycleTransaction extends TypeOrmRecordRemoval implements LifecycleTransaction {
  constructor(private readonly tx: EntityManager) {
    super(tx);
  }

  async recordsPastRetention(today: string): Promise<string[]> {
    const rows: { record_id: string }[] = await this.tx.query(
      `SELECT record_id FROM register_record WHERE retain_until < $1::date ORDER BY record_id`,
      [today],
    );
    return rows.map((r) => r.record_id);
  }

  async addRetentionReport(report: Omit<StoredRetentionReport, 'seq'>): Promise<void> {
    await this.tx.query(
      `INSERT INTO register_retention_report (report_id, ran_at, deleted) VALUES ($1, $2, $3::jsonb)`,
      [report.reportId, report.ranAt, JSON.stringify(report.deleted)],
    );
  }
}
