import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayInitial1764400000000 implements MigrationInterface {
  name = 'GatewayInitial1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signal (
        record_id uuid PRIMARY KEY,
        partner_id text NOT NULL,
        signal_id uuid NOT NULL,
        body_digest text NOT NULL,
        purpose text NOT NULL,
        policy_version text NOT NULL,
        key_version int NOT NULL,
        status text NOT NULL,
        correlation_id uuid NOT NULL,
        supersedes uuid NULL,
        receipt jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        delivered_at timestamptz NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX signal_partner_signal_id ON signal (partner_id, signal_id)`);
    await q.query(`
      CREATE TABLE outbox (
        record_id uuid PRIMARY KEY REFERENCES signal (record_id),
        destination text NOT NULL,
        payload jsonb NULL,
        payload_digest text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz NULL,
        last_error text NULL,
        forwarded_at timestamptz NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending'`);
    await q.query(`
      CREATE TABLE audit_entry (
        seq bigint PRIMARY KEY,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        entry jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE TABLE audit_head (id int PRIMARY KEY CHECK (id = 1), size bigint NOT NULL, hash text NOT NULL)`,
    );
    await q.query(`INSERT INTO audit_head (id, size, hash) VALUES (1, 0, '${'0'.repeat(64)}')`);
    await q.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
      FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_entry`);
    await q.query(`DROP FUNCTION audit_entry_append_only`);
    await q.query(`DROP TABLE audit_head`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE signal`);
  }
}
