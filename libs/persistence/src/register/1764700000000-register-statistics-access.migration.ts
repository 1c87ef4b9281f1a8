import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Published statistics snapshots (figures after suppression only, never a hidden count) and the log of
 * every steward read (who, what, when: ids only).
 */
export class RegisterStatisticsAccess1764700000000 implements MigrationInterface {
  name = 'RegisterStatisticsAccess1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE register_statistics_snapshot (
        year int PRIMARY KEY,
        frozen_at timestamptz NOT NULL,
        frozen_by text NOT NULL,
        min_cell_size int NOT NULL,
        figures jsonb NOT NULL
      )`);
    await q.query(`
      CREATE TABLE register_access_log (
        access_id bigserial PRIMARY KEY,
        accessed_at timestamptz NOT NULL,
        subject text NOT NULL,
        role text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        outcome text NOT NULL
      )`);
    await q.query(`CREATE INDEX register_access_log_target ON register_access_log (target_type, target_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE register_access_log`);
    await q.query(`DROP TABLE register_statistics_snapshot`);
  }
}
