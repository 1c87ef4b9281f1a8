import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';

/** A dead letter as an operator sees it: ids, the refusal code and counts — never the payload. */
export interface DeadLetter {
  recordId: string;
  signalId: string;
  partnerId: string;
  reason: string | null;
  attempts: number;
  createdAt: string;
}

interface ReplayedRow {
  record_id: string;
  payload_digest: string;
}

/**
 * Dead letters of the outbox: listing and replay. A replay puts the kept (policy-transformed) payload back
 * to pending, due now, with its attempts reset, and audits who replayed it in the same transaction.
 */
@Injectable()
export class DeadLetterRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async list(limit: number): Promise<DeadLetter[]> {
    const rows = (await this.dataSource.query(
      `SELECT o.record_id, s.signal_id, s.partner_id, o.last_error, o.attempts, o.created_at
         FROM outbox o JOIN signal s ON s.record_id = o.record_id
        WHERE o.state = 'dead' ORDER BY o.created_at LIMIT $1`,
      [limit],
    )) as {
      record_id: string;
      signal_id: string;
      partner_id: string;
      last_error: string | null;
      attempts: number;
      created_at: Date;
    }[];
    return rows.map((r) => ({
      recordId: r.record_id,
      signalId: r.signal_id,
      partnerId: r.partner_id,
      reason: r.last_error,
      attempts: r.attempts,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Replays the named dead letters (or, with null, up to `limit` of them); returns the replayed ids. */
  async replay(recordIds: string[] | null, limit: number, actor: string): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const result: unknown[] = await manager.query(
        `UPDATE outbox SET state = 'pending', next_attempt_at = now(), lease_until = NULL, last_error = NULL,
                attempts = 0
          WHERE record_id IN (
            SELECT record_id FROM outbox
             WHERE state = 'dead' AND payload IS NOT NULL
               AND ($1::uuid[] IS NULL OR record_id = ANY($1::uuid[]))
               -- only a signal that is still dead-lettered: never one retracted, withdrawn or superseded since
               AND EXISTS (SELECT 1 FROM signal s WHERE s.record_id = outbox.record_id AND s.status = 'dead-lettered')
             ORDER BY created_at LIMIT $2
             FOR UPDATE)
          RETURNING record_id, payload_digest`,
        [recordIds, limit],
      );
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const rows = (Array.isArray(result[0]) ? result[0] : result) as ReplayedRow[];
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.record_id);
      const signals = (await manager.query(
        `UPDATE signal SET status = 'accepted' WHERE record_id = ANY($1::uuid[]) AND status = 'dead-lettered'
          RETURNING record_id, correlation_id`,
        [ids],
      )) as unknown[];
      const signalRows = (Array.isArray(signals[0]) ? signals[0] : signals) as {
        record_id: string;
        correlation_id: string;
      }[];
      const correlation = new Map(signalRows.map((s) => [s.record_id, s.correlation_id]));
      const at = new Date().toISOString();
      const entries: AuditEntry[] = rows.map((r) => ({
        event: 'signal.forwarded',
        at,
        correlationId: correlation.get(r.record_id) ?? r.record_id,
        recordId: r.record_id,
        payloadDigest: r.payload_digest,
        reason: 'DEAD_LETTER.REPLAYED',
        actor,
      }));
      await this.auditLog.appendWithin(manager, entries);
      return ids;
    });
  }
}
