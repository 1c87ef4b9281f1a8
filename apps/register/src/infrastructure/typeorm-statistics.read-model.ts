import { DataSource } from 'typeorm';
import type { YearRecord } from '../statistics/breakdown.js';
import type { CountingRule } from '../statistics/counting-rule.js';
import type { StatisticsReadModel } from '../statistics/statistics.read-model.js';

interface YearRecordRow {
  person_id: string;
  record_id: string;
  reporter_type: string;
  reported_at: string;
  sexual_exploitation_only: boolean;
  dossier_type: string | null;
  data: Record<string, unknown> | null;
}

/**
 * Unique persons with at least one report in the year. Under `rapporteur`, persons whose every report
 * of that year is a KMar report listing sexual exploitation only are left out (see `personCounts`).
 */
export class TypeOrmStatisticsReadModel implements StatisticsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async countPersons(year: number, rule: CountingRule): Promise<number> {
    const rows: { persons: string }[] = await this.dataSource.query(
      `SELECT count(*) AS persons FROM (
         SELECT pr.person_id
           FROM register_record r
           JOIN register_person_record pr ON pr.record_id = r.record_id
          WHERE r.report_year = $1
          GROUP BY pr.person_id
         HAVING $2::text = 'register'
             OR NOT bool_and(r.reporter_type = 'kmar' AND r.sexual_exploitation_only)
       ) counted`,
      [year, rule],
    );
    return Number(rows[0].persons);
  }

  /** Only the released fields a breakdown reads leave the database: never a token. */
  async recordsOfYear(year: number): Promise<YearRecord[]> {
    const rows: YearRecordRow[] = await this.dataSource.query(
      `SELECT pr.person_id, r.record_id, r.reporter_type, r.record->>'reportedAt' AS reported_at,
              r.sexual_exploitation_only, r.record->>'dossierType' AS dossier_type,
              jsonb_build_object(
                'subject', jsonb_build_object(
                  'ageBandAtReport', r.record->'data'->'subject'->'ageBandAtReport',
                  'sex', r.record->'data'->'subject'->'sex',
                  'nationalities', r.record->'data'->'subject'->'nationalities'),
                'exploitation', jsonb_build_object(
                  'forms', r.record->'data'->'exploitation'->'forms',
                  'policeUnit', r.record->'data'->'exploitation'->'policeUnit')) AS data
         FROM register_record r
         JOIN register_person_record pr ON pr.record_id = r.record_id
        WHERE r.report_year = $1
        ORDER BY r.record_id`,
      [year],
    );
    return rows.map((row) => ({
      personId: row.person_id,
      recordId: row.record_id,
      reporterType: row.reporter_type,
      reportedAt: row.reported_at,
      sexualExploitationOnly: row.sexual_exploitation_only,
      dossierType: row.dossier_type ?? '',
      data: row.data ?? {},
    }));
  }
}
