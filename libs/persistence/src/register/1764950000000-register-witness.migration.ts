import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The register as witness of the gateway's audit log: the last checkpoint it cosigned. */
export class RegisterWitness1764950000000 implements MigrationInterface {
  name = 'RegisterWitness1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE register_witness (
        origin text PRIMARY KEY,
        size bigint NOT NULL,
        root_hash text NOT NULL,
        time timestamptz NOT NULL,
        checkpoint text NOT NULL,
        cosignature text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE register_witness`);
  }
}
