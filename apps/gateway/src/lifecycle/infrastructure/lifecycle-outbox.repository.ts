import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import type { RecordRemovalClaims } from '@ketenpoort/signal-contract';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';

export interface ClaimedRemoval {
  messageId: string;
  recordId: string;
  claims: RecordRemovalClaims;
  attempts: number;
  partnerId: string;
  signalId: string;
  purpose: string;
  correlationId: string;
}

/**
 * The queue of signed removal requests, with the record outbox's semantics: claimed under a lease
 * (`FOR UPDATE SKIP LOCKED`), sent outside any transaction, settled with its audit entry in one transaction.
 * A request waits while its record's own delivery is still in flight (leased) — or, for a correction, until
 * the correcting record's delivery is settled — so a removal never overtakes the record it removes.
 */
@Injectable()
export class LifecycleOutboxRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async claim(limit: number, leaseMs: number): Promise<ClaimedRemoval[]> {
    const result: unknown[] = await this.dataSource.query(
      `UPDATE lifecycle_outbox m SET lease_until = now() + ($2 || ' milliseconds')::interval, attempts = attempts + 1
         FROM signal s
        WHERE s.record_id = m.record_id AND m.message_id IN (
          SELECT q.message_id FROM lifecycle_outbox q
           WHERE q.state = 'pending' AND q.next_attempt_at <= now() AND (q.lease_until IS NULL OR q.lease_until < now())
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = q.record_id AND o.lease_until > now())
             AND (q.after_record_id IS NULL OR NOT EXISTS (
               SELECT 1 FROM outbox a WHERE a.record_id = q.after_record_id AND a.state = 'pending'))
           ORDER BY q.next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING m.message_id, m.record_id, m.claims, m.attempts, s.partner_id, s.signal_id, s.purpose,
                  s.correlation_id`,
      [limit, String(leaseMs)],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as {
      message_id: string;
      record_id: string;
      claims: RecordRemovalClaims;
      attempts: number;
      partner_id: string;
      signal_id: string;
      purpose: string;
      correlation_id: string;
    }[];
    return rows.map((r) => ({
      messageId: r.message_id,
      recordId: r.record_id,
      claims: r.claims,
      attempts: r.attempts,
      partnerId: r.partner_id,
      signalId: r.signal_id,
      purpose: r.purpose,
      correlationId: r.correlation_id,
    }));
  }

  async markDelivered(messageId: string, outcome: object, entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.query(
        `UPDATE lifecycle_outbox SET state = 'delivered', outcome = $2::jsonb, lease_until = NULL, last_error = NULL,
                delivered_at = now()
          WHERE message_id = $1 AND state = 'pending' RETURNING message_id`,
        [messageId, JSON.stringify(outcome)],
      );
      const rows = Array.isArray(result[0]) ? result[0] : result;
      if (rows.length) await this.auditLog.appendWithin(manager, [entry]);
    });
  }

  async markDead(messageId: string, errorCode: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE lifecycle_outbox SET state = 'dead', lease_until = NULL, last_error = $2
        WHERE message_id = $1 AND state = 'pending'`,
      [messageId, errorCode],
    );
  }

  async scheduleRetry(messageId: string, delayMs: number, errorCode: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE lifecycle_outbox SET next_attempt_at = now() + ($2 || ' milliseconds')::interval, lease_until = NULL,
              last_error = $3
        WHERE message_id = $1 AND state = 'pending'`,
      [messageId, String(Math.round(delayMs)), errorCode],
    );
  }

  /** The register's answer to the last delivered removal of a record (for the partner's lifecycle view). */
  async outcomeOf(
    recordId: string,
  ): Promise<{ state: string; outcome: Record<string, unknown> | null } | null> {
    const [row]: { state: string; outcome: Record<string, unknown> | null }[] = await this.dataSource.query(
      `SELECT state, outcome FROM lifecycle_outbox WHERE record_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [recordId],
    );
    return row ?? null;
  }
}
