import { DataSource } from 'typeorm';
import type { CountingRule } from '../statistics/counting-rule.js';
import type { StatisticsReadModel } from '../statistics/statistics.read-model.js';

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
}
