import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import { OutboxEntity, SignalEntity } from '@ketenpoort/persistence';
import type { RegisterRecord } from '@ketenpoort/signal-contract';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';

export interface ClaimedDelivery {
  recordId: string;
  record: RegisterRecord;
  payloadDigest: string;
  attempts: number;
  firstAttempt: boolean;
}

interface ClaimedRow {
  record_id: string;
  payload: RegisterRecord;
  payload_digest: string;
  attempts: number;
  forwarded_at: Date | null;
}

/**
 * Outbox rows are claimed with a lease (`FOR UPDATE SKIP LOCKED` inside a short transaction), delivered
 * outside any transaction, and settled in a transaction that also writes the audit entry. A crashed
 * worker's lease runs out and the row is claimed again; the register's idempotency makes that harmless.
 */
@Injectable()
export class OutboxRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const result: unknown[] = await this.dataSource.query(
      `UPDATE outbox SET lease_until = now() + ($2 || ' milliseconds')::interval, attempts = attempts + 1
          WHERE record_id IN (
            SELECT record_id FROM outbox
             WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
             ORDER BY next_attempt_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING record_id, payload, payload_digest, attempts, forwarded_at`,
      [limit, String(leaseMs)],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const rows = (Array.isArray(result[0]) ? result[0] : result) as ClaimedRow[];
    return rows.map((row) => ({
      recordId: row.record_id,
      record: row.payload,
      payloadDigest: row.payload_digest,
      attempts: row.attempts,
      firstAttempt: row.forwarded_at === null,
    }));
  }

  /** Records the first send of a record once, with its audit entry. */
  async markForwarded(recordId: string, entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ forwardedAt: () => 'now()' })
        .where('record_id = :recordId AND forwarded_at IS NULL', { recordId })
        .execute();
      if (result.affected) await this.auditLog.appendWithin(manager, [entry]);
    });
  }

  /** Delivery confirmed: the payload is removed (its digest stays), status and audit entry commit together. */
  async markDelivered(recordId: string, entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ state: 'delivered', payload: null, leaseUntil: null, lastError: null })
        .where("record_id = :recordId AND state = 'pending'", { recordId })
        .execute();
      if (!result.affected) return;
      await manager.update(SignalEntity, { recordId }, { status: 'delivered', deliveredAt: new Date() });
      await this.auditLog.appendWithin(manager, [entry]);
    });
  }

  /** First sends of several records: one transaction, one audit append for all that were not yet marked. */
  async markForwardedMany(items: Array<{ recordId: string; entry: AuditEntry }>): Promise<void> {
    if (items.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      const marked = await returnedIds(
        manager.query(
          `UPDATE outbox SET forwarded_at = now()
            WHERE record_id = ANY($1::uuid[]) AND forwarded_at IS NULL RETURNING record_id`,
          [items.map((i) => i.recordId)],
        ),
      );
      const entries = items.filter((i) => marked.has(i.recordId)).map((i) => i.entry);
      if (entries.length) await this.auditLog.appendWithin(manager, entries);
    });
  }

  /** Several deliveries confirmed: one transaction, one audit append (one entry per record still pending). */
  async markDeliveredMany(items: Array<{ recordId: string; entry: AuditEntry }>): Promise<number> {
    if (items.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      const ids = items.map((i) => i.recordId);
      const settled = await returnedIds(
        manager.query(
          `UPDATE outbox SET state = 'delivered', payload = NULL, lease_until = NULL, last_error = NULL
            WHERE record_id = ANY($1::uuid[]) AND state = 'pending' RETURNING record_id`,
          [ids],
        ),
      );
      if (settled.size === 0) return 0;
      await manager.query(
        `UPDATE signal SET status = 'delivered', delivered_at = now() WHERE record_id = ANY($1::uuid[])`,
        [[...settled]],
      );
      await this.auditLog.appendWithin(
        manager,
        items.filter((i) => settled.has(i.recordId)).map((i) => i.entry),
      );
      return settled.size;
    });
  }

  async scheduleRetry(recordId: string, delayMs: number, errorCode: string): Promise<void> {
    await this.scheduleRetries([{ recordId, delayMs, errorCode }]);
  }

  /** Hands leased rows back for a later attempt, each with its own delay and error code, in one statement. */
  async scheduleRetries(
    retries: Array<{ recordId: string; delayMs: number; errorCode: string }>,
  ): Promise<void> {
    if (retries.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox o
          SET next_attempt_at = now() + make_interval(secs => r.delay_ms / 1000.0), lease_until = NULL,
              last_error = r.code
         FROM unnest($1::uuid[], $2::int[], $3::text[]) AS r(record_id, delay_ms, code)
        WHERE o.record_id = r.record_id AND o.state = 'pending'`,
      [
        retries.map((r) => r.recordId),
        retries.map((r) => Math.round(r.delayMs)),
        retries.map((r) => r.errorCode),
      ],
    );
  }

  /** A permanent refusal by the register: only the transformed payload is kept, for an operator to replay. */
  async markDead(recordId: string, errorCode: string, entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(OutboxEntity)
        .set({ state: 'dead', leaseUntil: null, lastError: errorCode })
        .where("record_id = :recordId AND state = 'pending'", { recordId })
        .execute();
      if (!result.affected) return;
      await manager.update(SignalEntity, { recordId }, { status: 'dead-lettered' });
      await this.auditLog.appendWithin(manager, [entry]);
    });
  }
}

/** The record ids an `UPDATE … RETURNING record_id` answered (TypeORM answers [rows, affected]). */
async function returnedIds(result: Promise<unknown[]>): Promise<Set<string>> {
  const answer = await result;
  const rows = (Array.isArray(answer[0]) ? answer[0] : answer) as Array<{ record_id: string }>;
  return new Set(rows.map((r) => r.record_id));
}
