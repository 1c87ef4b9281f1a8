import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayGovernance1764800000000 implements MigrationInterface {
  name = 'GatewayGovernance1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE governed_version (
        kind text NOT NULL CHECK (kind IN ('policy', 'partners')),
        version text NOT NULL,
        content text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'shadow', 'active', 'retired', 'rejected')),
        proposed_by text NOT NULL,
        proposed_at timestamptz NOT NULL,
        approved_by text NULL,
        approved_at timestamptz NULL,
        activated_at timestamptz NULL,
        decided_by text NULL,
        note text NULL,
        PRIMARY KEY (kind, version),
        CHECK (status <> 'active' OR approved_by IS NOT NULL)
      )`);
    // At most one active and one shadow version per kind.
    await q.query(
      `CREATE UNIQUE INDEX governed_version_one_active ON governed_version (kind) WHERE status = 'active'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX governed_version_one_shadow ON governed_version (kind) WHERE status = 'shadow'`,
    );
    await q.query(`
      CREATE TABLE gateway_instance (
        instance_id text PRIMARY KEY,
        policy_version text NULL,
        partners_version text NULL,
        seen_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway_instance`);
    await q.query(`DROP TABLE governed_version`);
  }
}
