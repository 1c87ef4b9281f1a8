import { DataSource } from 'typeorm';
import type { AccessEntry, AccessLog } from '../steward/access-log.js';

/** Appends to `register_access_log` (who, what, when: ids only). */
export class TypeOrmAccessLog implements AccessLog {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AccessEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO register_access_log (accessed_at, subject, role, action, target_type, target_id, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.accessedAt,
        entry.subject,
        entry.role,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.outcome,
      ],
    );
  }
}
