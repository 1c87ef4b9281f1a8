import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import type { RecordRemovalClaims } from '@ketenpoort/signal-contract';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';

/** Statuses after which a signal's life is over: nothing more is delivered for it. */
export const ENDED_STATUSES = ['retracted', 'superseded', 'withdrawn'] as const;
export type EndedStatus = (typeof ENDED_STATUSES)[number];

export interface LifecycleSignal {
  recordId: string;
  partnerId: string;
  signalId: string;
  status: string;
  purpose: string;
  policyVersion: string;
  restedOnConsent: boolean | null;
  supersedes: string | null;
}

/** A correction whose superseded signal the sweep still has to end (`status` is the correction's own). */
export interface UnsettledCorrection {
  recordId: string;
  partnerId: string;
  signalId: string;
  supersedes: string;
  status: string;
}

/** What ending a signal did to its delivery. */
export interface EndOutcome {
  signal: LifecycleSignal;
  /** Delivery was pending and never attempted: the record never left the gateway. */
  deliveryStopped: boolean;
  /** A signed removal request to the register was queued (the record did or may have arrive(d)). */
  removalQueued: boolean;
}

export interface EndRequest {
  partnerId: string;
  signalId: string;
  status: EndedStatus;
  /** Retraction reason code, `consent-withdrawn` or `superseded`. */
  reason: string;
  /** The removal to request from the register when the record did or may have reach(ed) it. */
  removal: RecordRemovalClaims['cause'];
  /**
   * For `superseded`: the correcting record, whose delivery the removal waits for. The correction is marked
   * settled in the same transaction, whatever the superseded signal's state (see `unsettledCorrections`).
   */
  afterRecordId?: string;
  /**
   * How long a delivery already in flight can still take (the register client's request timeout): a lease
   * longer than that is cut short, so the removal request does not wait for a lease nobody will settle.
   */
  inFlightMs: number;
  /** Builds the audit entry from what was decided; appended in the same transaction. */
  audit: (outcome: EndOutcome) => AuditEntry;
}

const SIGNAL_COLUMNS = `s.record_id AS "recordId", s.partner_id AS "partnerId", s.signal_id AS "signalId",
  s.status, s.purpose, s.policy_version AS "policyVersion", s.rested_on_consent AS "restedOnConsent",
  s.supersedes`;

/**
 * Ends a signal's life in one transaction: the signal row (locked), its outbox row (a delivery never
 * attempted is cancelled; one attempted or done gets a removal request queued), the removal request and the
 * audit entry commit together.
 */
@Injectable()
export class SignalLifecycleRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  async find(partnerId: string, signalId: string, manager: EntityManager = this.dataSource.manager) {
    const [row]: LifecycleSignal[] = await manager.query(
      `SELECT ${SIGNAL_COLUMNS} FROM signal s WHERE s.partner_id = $1 AND s.signal_id = $2`,
      [partnerId, signalId],
    );
    return row ?? null;
  }

  /** Returns null when the signal is unknown to this partner; throws nothing for an ended one (caller checks). */
  async end(request: EndRequest): Promise<EndOutcome | { ended: string } | null> {
    return this.dataSource.transaction(async (manager) => {
      const outcome = await this.endSignal(manager, request);
      // The correction's row before the audit frontier, which the outbox worker too locks only after the
      // signal rows it marks delivered: holding the frontier while waiting for such a row could deadlock.
      if (request.afterRecordId) await this.settleCorrection(request.afterRecordId, manager);
      if (outcome && 'signal' in outcome) await this.auditLog.appendWithin(manager, [request.audit(outcome)]);
      return outcome;
    });
  }

  /** The signal's and its delivery's part of `end`, without the audit entry. */
  private async endSignal(
    manager: EntityManager,
    request: EndRequest,
  ): Promise<EndOutcome | { ended: string } | null> {
    const [signal]: LifecycleSignal[] = await manager.query(
      `SELECT ${SIGNAL_COLUMNS} FROM signal s WHERE s.partner_id = $1 AND s.signal_id = $2 FOR UPDATE`,
      [request.partnerId, request.signalId],
    );
    if (!signal) return null;
    if ((ENDED_STATUSES as readonly string[]).includes(signal.status)) return { ended: signal.status };
    const [outbox]: { state: string; attempts: number }[] = await manager.query(
      `SELECT state, attempts FROM outbox WHERE record_id = $1 FOR UPDATE`,
      [signal.recordId],
    );
    const pending = outbox?.state === 'pending';
    const neverSent = pending && outbox.attempts === 0;
    // A dead letter of an ended signal is cancelled too: it must never be replayed, and its payload goes.
    if (pending || outbox?.state === 'dead') {
      await manager.query(
        `UPDATE outbox SET state = 'cancelled', payload = NULL, last_error = $2,
                lease_until = LEAST(lease_until, now() + ($3 || ' milliseconds')::interval)
          WHERE record_id = $1`,
        [signal.recordId, `LIFECYCLE.${request.status.toUpperCase()}`, String(request.inFlightMs)],
      );
    }
    const mayHaveArrived = (pending && !neverSent) || outbox?.state === 'delivered';
    if (mayHaveArrived) {
      const claims = {
        recordId: signal.recordId,
        cause: request.removal,
        ...(request.removal === 'retracted' ? { reason: request.reason } : {}),
      };
      await manager.query(
        `INSERT INTO lifecycle_outbox (message_id, kind, record_id, claims, after_record_id, state, attempts,
           next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, 'pending', 0, now(), now())`,
        [
          randomUUID(),
          request.removal,
          signal.recordId,
          JSON.stringify(claims),
          request.afterRecordId ?? null,
        ],
      );
    }
    await manager.query(
      `UPDATE signal SET status = $2, ended_reason = $3, ended_at = now() WHERE record_id = $1`,
      [signal.recordId, request.status, request.reason],
    );
    return { signal, deliveryStopped: neverSent, removalQueued: mayHaveArrived };
  }

  async setRestedOnConsent(recordId: string, restedOnConsent: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE signal SET rested_on_consent = $2 WHERE record_id = $1 AND rested_on_consent IS NULL`,
      [recordId, restedOnConsent],
    );
  }

  /**
   * Accepted corrections not settled yet: the intake hook ends the superseded signal and settles the
   * correction right after the commit; this is the sweep's safety net for a crash in between. Reads only the
   * partial index `signal_unsettled_correction` (normally empty), never the signal table at large.
   */
  async unsettledCorrections(limit: number): Promise<UnsettledCorrection[]> {
    return this.dataSource.query(
      `SELECT n.record_id AS "recordId", n.partner_id AS "partnerId", n.signal_id AS "signalId",
              n.supersedes, n.status
         FROM signal n
        WHERE n.supersedes IS NOT NULL AND n.supersedes_settled_at IS NULL
        ORDER BY n.received_at
        LIMIT $1`,
      [limit],
    );
  }

  /** Marks a correction settled: the sweep no longer looks at it. */
  async settleCorrection(recordId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE signal SET supersedes_settled_at = now()
        WHERE record_id = $1 AND supersedes IS NOT NULL AND supersedes_settled_at IS NULL`,
      [recordId],
    );
  }

  /** The policy text of a governed version (to decide afterwards whether a signal rested on consent). */
  async policyContent(version: string): Promise<string | null> {
    const [row]: { content: string }[] = await this.dataSource.query(
      `SELECT content FROM governed_version WHERE kind = 'policy' AND version = $1`,
      [version],
    );
    return row?.content ?? null;
  }
}
