import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import { OutboxEntity, SignalEntity } from '@ketenpoort/persistence';
import type { RegisterRecord, SignalReceipt } from '@ketenpoort/signal-contract';
import type { PreparedAuditEntry } from '../../audit/audit-preparation.js';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';
import { faultPoint } from '../../common/fault-point.js';

export interface StoredSignal {
  recordId: string;
  bodyDigest: string;
  receipt: SignalReceipt;
  status: string;
  outboxAttempts: number;
  outboxState: string | null;
}

export interface Acceptance {
  partnerId: string;
  signalId: string;
  bodyDigest: string;
  supersedes: string | null;
  keyVersion: number;
  receipt: SignalReceipt;
  record: RegisterRecord;
  payloadDigest: string;
  audit: Array<AuditEntry | PreparedAuditEntry>;
}

const UNIQUE_VIOLATION = '23505';

/** Stores an accepted signal, its audit entries and its outbox row in one transaction. */
@Injectable()
export class IntakeRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async find(partnerId: string, signalId: string): Promise<StoredSignal | null> {
    const row = await this.dataSource
      .createQueryBuilder()
      .select(['s.record_id AS "recordId"', 's.body_digest AS "bodyDigest"', 's.receipt AS receipt'])
      .addSelect(['s.status AS status', 'o.attempts AS "outboxAttempts"', 'o.state AS "outboxState"'])
      .from(SignalEntity, 's')
      .leftJoin(OutboxEntity, 'o', 'o.record_id = s.record_id')
      .where('s.partner_id = :partnerId AND s.signal_id = :signalId', { partnerId, signalId })
      .getRawOne<StoredSignal>();
    return row ?? null;
  }

  /** Returns false when another request stored the same (partner, signalId) first. */
  async accept(a: Acceptance): Promise<boolean> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const now = new Date(a.receipt.receivedAt);
        await manager.insert(SignalEntity, {
          recordId: a.record.recordId,
          partnerId: a.partnerId,
          signalId: a.signalId,
          bodyDigest: a.bodyDigest,
          purpose: a.receipt.purpose,
          policyVersion: a.receipt.policyVersion,
          keyVersion: a.keyVersion,
          status: 'accepted',
          correlationId: a.receipt.correlationId,
          supersedes: a.supersedes,
          receipt: a.receipt,
          receivedAt: now,
          deliveredAt: null,
        });
        await manager.insert(OutboxEntity, {
          recordId: a.record.recordId,
          destination: 'register',
          payload: a.record,
          payloadDigest: a.payloadDigest,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          lastError: null,
          forwardedAt: null,
          createdAt: now,
        });
        await this.auditLog.appendWithin(manager, a.audit);
        faultPoint('intake.before-commit');
      });
      return true;
    } catch (error) {
      if ((error as { code?: string })?.code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }
}
