import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OutboxStatistics {
  pending: number;
  /** Seconds since the oldest pending row was written; 0 when nothing is pending. */
  oldestPendingAgeSeconds: number;
  deadLetters: number;
}

export interface AuditStatistics {
  entries: number;
  /** Seconds since the newest entry of the hash chain (the trunk's stand-in for a checkpoint); -1 when empty. */
  headAgeSeconds: number;
}

/** Counts for health and metrics: aggregates only, never a row's content. */
@Injectable()
export class OperationsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  async outbox(): Promise<OutboxStatistics> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE state = 'pending') AS pending,
              count(*) FILTER (WHERE state = 'dead') AS dead,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE state = 'pending')), 0) AS age
         FROM outbox`,
    )) as { pending: string; dead: string; age: string }[];
    return {
      pending: Number(row.pending),
      deadLetters: Number(row.dead),
      oldestPendingAgeSeconds: Math.max(0, Number(row.age)),
    };
  }

  async audit(): Promise<AuditStatistics> {
    const [row] = (await this.dataSource.query(
      `SELECT (SELECT (frontier->>'size')::bigint FROM audit_frontier WHERE id = 1) AS entries,
              (SELECT EXTRACT(EPOCH FROM now() - max(time)) FROM audit_checkpoint) AS age`,
    )) as { entries: string; age: string | null }[];
    return {
      entries: Number(row.entries),
      headAgeSeconds: row.age === null ? -1 : Math.max(0, Number(row.age)),
    };
  }
}
