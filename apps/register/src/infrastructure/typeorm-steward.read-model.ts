import { DataSource } from 'typeorm';
import { readPersonLinks } from './typeorm-linkage.store.js';
import type {
  LinkReason,
  RecordLinks,
  StewardReadModel,
  StewardRecord,
} from '../steward/steward.read-model.js';

interface RecordRow {
  record_id: string;
  reporter_type: string;
  purpose: string | null;
  dossier_type: string | null;
  report_year: number;
  token_kinds: string[] | null;
}

/** Person-level reads for the steward: ids, reporter types, purposes, years and token kinds — no values. */
export class TypeOrmStewardReadModel implements StewardReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async personRecords(personId: string): Promise<StewardRecord[] | null> {
    const rows: RecordRow[] = await this.dataSource.query(
      `SELECT r.record_id, r.reporter_type, r.record->>'purpose' AS purpose,
              r.record->>'dossierType' AS dossier_type, r.report_year,
              array_remove(array_agg(DISTINCT t.kind ORDER BY t.kind), NULL) AS token_kinds
         FROM register_person_record pr
         JOIN register_record r ON r.record_id = pr.record_id
         LEFT JOIN register_record_token t ON t.record_id = r.record_id
        WHERE pr.person_id = $1
        GROUP BY r.record_id
        ORDER BY r.report_year, r.record_id`,
      [personId],
    );
    if (rows.length === 0) return null;
    return rows.map((row) => ({
      recordId: row.record_id,
      reporterType: row.reporter_type,
      purpose: row.purpose ?? '',
      dossierType: row.dossier_type ?? '',
      reportYear: row.report_year,
      tokenKinds: row.token_kinds ?? [],
    }));
  }

  async recordLinks(recordId: string): Promise<RecordLinks | null> {
    const owner: { person_id: string }[] = await this.dataSource.query(
      `SELECT person_id FROM register_person_record WHERE record_id = $1`,
      [recordId],
    );
    if (owner.length === 0) return null;
    return {
      recordId,
      personId: owner[0].person_id,
      links: await this.linkReasons(recordId, owner[0].person_id),
    };
  }

  /** The link log the linkage writes (issue 5 §2), read through its own reader: kinds only, no values. */
  private async linkReasons(recordId: string, personId: string): Promise<LinkReason[]> {
    const rows = await readPersonLinks(this.dataSource.manager, personId);
    return rows
      .filter((row) => row.recordA === recordId || row.recordB === recordId)
      .map((row) => ({
        event: row.event,
        personId: row.personId,
        linkedRecordId: row.recordA === recordId ? row.recordB : row.recordA,
        reason: row.reason,
        at: row.createdAt,
      }));
  }
}
