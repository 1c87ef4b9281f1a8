import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removals: one row per removed record (why, under which purpose and report year — never its content), so
 * that a late delivery of a removed record is refused and a revision of frozen figures can be explained;
 * and the signed retention reports the gateway pulls into its audit log.
 */
export class RegisterLifecycle1765000000000 implements MigrationInterface {
  name = 'RegisterLifecycle1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE register_record_removal (
        record_id uuid PRIMARY KEY,
        cause text NOT NULL CHECK (cause IN ('retracted', 'consent-withdrawn', 'superseded', 'retention')),
        reason text NULL,
        held boolean NOT NULL,
        purpose text NULL,
        report_year int NULL,
        replaced_by uuid NULL,
        kept_grounds jsonb NOT NULL DEFAULT '[]',
        removed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE register_retention_report (
        seq bigserial PRIMARY KEY,
        report_id uuid NOT NULL UNIQUE,
        ran_at timestamptz NOT NULL,
        deleted jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE register_retention_report`);
    await q.query(`DROP TABLE register_record_removal`);
  }
}
