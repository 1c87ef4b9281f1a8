import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections remember when they were settled (the signal they supersede ended), so that the lifecycle
 * worker's safety-net sweep reads a partial index of unsettled corrections — normally empty — instead of
 * joining the whole signal table with itself every round (ADR 0020).
 */
export class GatewayCorrectionSettlement1765100000000 implements MigrationInterface {
  name = 'GatewayCorrectionSettlement1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE signal ADD COLUMN supersedes_settled_at timestamptz NULL`);
    // The index before the backfill: a build that meets rows HOT-updated moments before (as the backfill's
    // would be) hides the new index from older transactions for a while (indcheckxmin).
    await q.query(`
      CREATE INDEX signal_unsettled_correction ON signal (received_at)
       WHERE supersedes IS NOT NULL AND supersedes_settled_at IS NULL`);
    // Settled already: every correction the former sweep no longer picked up (the correction itself
    // ended, or the signal it names is unknown or ended). The others stay for the sweep.
    await q.query(`
      UPDATE signal n SET supersedes_settled_at = now()
       WHERE n.supersedes IS NOT NULL
         AND (n.status IN ('retracted', 'superseded', 'withdrawn')
              OR NOT EXISTS (
                SELECT 1 FROM signal o
                 WHERE o.partner_id = n.partner_id AND o.signal_id = n.supersedes
                   AND o.status NOT IN ('retracted', 'superseded', 'withdrawn')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signal_unsettled_correction`);
    await q.query(`ALTER TABLE signal DROP COLUMN supersedes_settled_at`);
  }
}
