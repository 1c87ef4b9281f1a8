import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RegisterInitial1764500000000 implements MigrationInterface {
  name = 'RegisterInitial1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE register_record (
        record_id uuid PRIMARY KEY,
        payload_digest text NOT NULL,
        record jsonb NOT NULL,
        reporter_type text NOT NULL,
        report_year int NOT NULL,
        sexual_exploitation_only boolean NOT NULL,
        birth_year int NULL,
        sex text NULL,
        birth_date_estimated boolean NOT NULL,
        retain_until date NULL,
        received_at timestamptz NOT NULL,
        receipt text NOT NULL
      )`);
    await q.query(`CREATE INDEX register_record_report_year ON register_record (report_year)`);
    await q.query(`
      CREATE TABLE register_record_token (
        record_id uuid NOT NULL REFERENCES register_record (record_id) ON DELETE CASCADE,
        kind text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (record_id, kind, value)
      )`);
    await q.query(`CREATE INDEX register_record_token_lookup ON register_record_token (kind, value)`);
    await q.query(`
      CREATE TABLE register_person (
        person_id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE register_person_record (
        record_id uuid PRIMARY KEY REFERENCES register_record (record_id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES register_person (person_id)
      )`);
    await q.query(`CREATE INDEX register_person_record_person ON register_person_record (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE register_person_record`);
    await q.query(`DROP TABLE register_person`);
    await q.query(`DROP TABLE register_record_token`);
    await q.query(`DROP TABLE register_record`);
  }
}
