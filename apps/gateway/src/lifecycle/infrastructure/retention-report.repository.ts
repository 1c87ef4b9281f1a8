import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';

/** The register's retention reports already audited: each one's entry is appended exactly once. */
@Injectable()
export class RetentionReportRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async lastSeq(): Promise<number> {
    const [{ after }]: { after: string | null }[] = await this.dataSource.query(
      `SELECT max(seq) AS after FROM retention_report_receipt`,
    );
    return Number(after ?? 0);
  }

  /** False when this report was audited before. */
  async record(reportId: string, seq: number, entry: AuditEntry): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result: unknown[] = await manager.query(
        `INSERT INTO retention_report_receipt (report_id, seq, received_at) VALUES ($1, $2, now())
         ON CONFLICT DO NOTHING RETURNING report_id`,
        [reportId, seq],
      );
      const rows = Array.isArray(result[0]) ? result[0] : result;
      if (!rows.length) return false;
      await this.auditLog.appendWithin(manager, [entry]);
      return true;
    });
  }
}
