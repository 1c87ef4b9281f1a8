import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Aggregates for health and metrics: counts only, never a row's content. */
@Injectable()
export class RegisterCountsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async counts(): Promise<{ records: number; persons: number }> {
    const [row] = (await this.dataSource.query(
      'SELECT (SELECT count(*) FROM register_record) AS records, (SELECT count(*) FROM register_person) AS persons',
    )) as { records: string; persons: string }[];
    return { records: Number(row.records), persons: Number(row.persons) };
  }
}
