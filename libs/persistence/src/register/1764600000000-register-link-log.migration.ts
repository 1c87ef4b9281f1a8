import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The link log: every join, merge and split of persons with the token kinds that justified it, so a
 * published figure can be explained later. Rows go with their records at the end of retention.
 */
export class RegisterLinkLog1764600000000 implements MigrationInterface {
  name = 'RegisterLinkLog1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE register_link (
        link_id bigserial PRIMARY KEY,
        event text NOT NULL CHECK (event IN ('joined', 'merged', 'split')),
        person_id uuid NOT NULL,
        record_a uuid NOT NULL REFERENCES register_record (record_id) ON DELETE CASCADE,
        record_b uuid NOT NULL REFERENCES register_record (record_id) ON DELETE CASCADE,
        reason text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX register_link_person ON register_link (person_id)`);
    await q.query(`CREATE INDEX register_link_record_a ON register_link (record_a)`);
    await q.query(`CREATE INDEX register_link_record_b ON register_link (record_b)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE register_link`);
  }
}
