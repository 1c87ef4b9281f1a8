import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The data's life after intake: whether a signal rested on consent, the life-cycle statuses, a cancelled
 * state for deliveries stopped before they reached the register, the queue of signed removal requests to
 * the register, the retention reports already audited, and lawful erasure requests (four eyes).
 */
export class GatewayLifecycle1765000000000 implements MigrationInterface {
  name = 'GatewayLifecycle1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signal ADD COLUMN rested_on_consent boolean NULL`);
    await q.query(`ALTER TABLE signal ADD COLUMN ended_reason text NULL`);
    await q.query(`ALTER TABLE signal ADD COLUMN ended_at timestamptz NULL`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_state_check`);
    await q.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'delivered', 'dead', 'cancelled'))`,
    );
    await q.query(`
      CREATE TABLE lifecycle_outbox (
        message_id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('retracted', 'consent-withdrawn', 'superseded')),
        record_id uuid NOT NULL REFERENCES signal (record_id),
        claims jsonb NOT NULL,
        -- Sent only once this record's own delivery is settled (a correction's removal waits for the correction).
        after_record_id uuid NULL,
        state text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz NULL,
        last_error text NULL,
        outcome jsonb NULL,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz NULL
      )`);
    await q.query(
      `CREATE INDEX lifecycle_outbox_due ON lifecycle_outbox (next_attempt_at) WHERE state = 'pending'`,
    );
    await q.query(`
      CREATE TABLE retention_report_receipt (
        report_id uuid PRIMARY KEY,
        seq bigint NOT NULL UNIQUE,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_erasure (
        erasure_id uuid PRIMARY KEY,
        request_reference text NOT NULL,
        leaf_indexes jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'executed')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        approved_by text NULL,
        approved_at timestamptz NULL,
        CHECK (approved_by IS NULL OR approved_by <> requested_by)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_erasure`);
    await q.query(`DROP TABLE retention_report_receipt`);
    await q.query(`DROP TABLE lifecycle_outbox`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_state_check`);
    await q.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'delivered', 'dead'))`,
    );
    await q.query(`ALTER TABLE signal DROP COLUMN ended_at`);
    await q.query(`ALTER TABLE signal DROP COLUMN ended_reason`);
    await q.query(`ALTER TABLE signal DROP COLUMN rested_on_consent`);
  }
}
