import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replaces the trunk's hash chain with an RFC 6962 Merkle log: entries (canonical JSON, the leaf data) with
 * contiguous indexes, the subject openings beside them (deletable for erasure), the frontier row that every
 * append batch locks, stored inner nodes every 8th level for proofs, and signed checkpoints.
 */
export class GatewayMerkleAudit1764900000000 implements MigrationInterface {
  name = 'GatewayMerkleAudit1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_entry`);
    await q.query(`DROP TABLE audit_head`);
    await q.query(`
      CREATE TABLE audit_entry (
        idx bigint PRIMARY KEY,
        leaf_hash bytea NOT NULL,
        entry text NOT NULL,
        event text NOT NULL,
        at timestamptz NOT NULL,
        partner_id text NULL,
        purpose text NULL,
        signal_id uuid NULL,
        policy_version text NULL,
        reason text NULL,
        actor text NULL
      )`);
    await q.query(`CREATE INDEX audit_entry_at ON audit_entry (at, idx)`);
    await q.query(`CREATE INDEX audit_entry_partner ON audit_entry (partner_id, at, idx)`);
    await q.query(`CREATE INDEX audit_entry_signal ON audit_entry (signal_id)`);
    await q.query(`
      CREATE TABLE audit_subject_opening (
        idx bigint NOT NULL REFERENCES audit_entry (idx),
        position int NOT NULL,
        token text NOT NULL,
        salt text NOT NULL,
        PRIMARY KEY (idx, position)
      )`);
    await q.query(`CREATE INDEX audit_subject_opening_token ON audit_subject_opening (token)`);
    await q.query(`CREATE TABLE audit_frontier (id int PRIMARY KEY CHECK (id = 1), frontier jsonb NOT NULL)`);
    await q.query(`INSERT INTO audit_frontier (id, frontier) VALUES (1, '{"size":0,"hashes":[]}')`);
    await q.query(`
      CREATE TABLE audit_node (
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL,
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoint (
        size bigint PRIMARY KEY,
        root_hash text NOT NULL,
        time timestamptz NOT NULL,
        jws text NOT NULL,
        cosignatures jsonb NOT NULL DEFAULT '[]'
      )`);
    for (const table of ['audit_entry', 'audit_node']) {
      await q.query(`
        CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoint`);
    await q.query(`DROP TABLE audit_node`);
    await q.query(`DROP TABLE audit_frontier`);
    await q.query(`DROP TABLE audit_subject_opening`);
    await q.query(`DROP TABLE audit_entry`);
  }
}
