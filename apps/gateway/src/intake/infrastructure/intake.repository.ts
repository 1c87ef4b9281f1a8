import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import { OutboxEntity, SignalEntity } from '@ketenpoort/persistence';
import type { RegisterRecord, SignalReceipt } from '@ketenpoort/signal-contract';
import type { PreparedAuditEntry } from '../../audit/audit-preparation.js';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';
import { faultPoint } from '../../common/fault-point.js';
import type { Settled } from '../micro-batcher.js';

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
  /** Whether the ground that released the record needs consent: stored with the signal, in its commit. */
  restedOnConsent: boolean;
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

  /** The stored signals among `keys`, one answer per key in order (null: not stored). */
  async findMany(keys: Array<{ partnerId: string; signalId: string }>): Promise<Array<StoredSignal | null>> {
    if (keys.length === 0) return [];
    const rows: Array<StoredSignal & { partnerId: string; signalId: string }> = await this.dataSource.query(
      `SELECT s.partner_id AS "partnerId", s.signal_id AS "signalId", s.record_id AS "recordId",
              s.body_digest AS "bodyDigest", s.receipt, s.status, o.attempts AS "outboxAttempts",
              o.state AS "outboxState"
         FROM signal s
         JOIN unnest($1::text[], $2::uuid[]) AS k(partner_id, signal_id)
           ON s.partner_id = k.partner_id AND s.signal_id = k.signal_id
         LEFT JOIN outbox o ON o.record_id = s.record_id`,
      [keys.map((k) => k.partnerId), keys.map((k) => k.signalId)],
    );
    const byKey = new Map(rows.map((r) => [`${r.partnerId}\u0000${r.signalId.toLowerCase()}`, r]));
    return keys.map((k) => {
      const row = byKey.get(`${k.partnerId}\u0000${k.signalId.toLowerCase()}`);
      if (!row) return null;
      const { partnerId: _p, signalId: _s, ...stored } = row;
      return stored;
    });
  }

  /** Returns false when another request stored the same (partner, signalId) first. */
  async accept(a: Acceptance): Promise<boolean> {
    const [outcome] = await this.commitGroup([{ kind: 'accept', acceptance: a }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Group commit: one transaction for all members — multi-row inserts of signal and outbox rows and one
   * audit append for all their entries (still one entry per decision, in member order). When the group
   * fails, each member is committed on its own, so one bad member fails only itself. An accepted member
   * answers false when its (partner, signalId) was stored first by someone else.
   */
  async commitGroup(members: IntakeMember[]): Promise<Array<Settled<boolean>>> {
    if (members.length === 0) return [];
    // A (partner, signalId) twice in one group would fail the whole group: later ones go alone, after it.
    const seen = new Set<string>();
    const group: number[] = [];
    const later: number[] = [];
    members.forEach((m, i) => {
      if (m.kind !== 'accept') return group.push(i);
      const key = `${m.acceptance.partnerId}\u0000${m.acceptance.signalId.toLowerCase()}`;
      if (seen.has(key)) return later.push(i);
      seen.add(key);
      group.push(i);
    });
    const outcomes: Array<Settled<boolean>> = new Array(members.length);
    try {
      await this.writeGroup(group.map((i) => members[i]));
      for (const i of group) outcomes[i] = { ok: true, value: true };
    } catch (error) {
      if (group.length === 1) outcomes[group[0]] = settleAlone(error);
      else for (const i of group) outcomes[i] = await this.commitAlone(members[i]);
    }
    for (const i of later) outcomes[i] = await this.commitAlone(members[i]);
    return outcomes;
  }

  private async commitAlone(member: IntakeMember): Promise<Settled<boolean>> {
    try {
      await this.writeGroup([member]);
      return { ok: true, value: true };
    } catch (error) {
      return settleAlone(error);
    }
  }

  private async writeGroup(members: IntakeMember[]): Promise<void> {
    const accepted = members.flatMap((m) => (m.kind === 'accept' ? [m.acceptance] : []));
    const audit = members.flatMap((m) => (m.kind === 'accept' ? m.acceptance.audit : [m.entry]));
    await this.dataSource.transaction(async (manager) => {
      if (accepted.length) {
        await manager.query(
          `INSERT INTO signal (record_id, partner_id, signal_id, body_digest, purpose, policy_version,
             key_version, status, correlation_id, supersedes, receipt, received_at, delivered_at,
             rested_on_consent)
           SELECT r, p, s, d, pu, pv, kv, 'accepted', c, sup, rc, ra, NULL, roc
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int[],
                         $8::uuid[], $9::uuid[], $10::jsonb[], $11::timestamptz[], $12::boolean[])
                  AS t(r, p, s, d, pu, pv, kv, c, sup, rc, ra, roc)`,
          [
            accepted.map((a) => a.record.recordId),
            accepted.map((a) => a.partnerId),
            accepted.map((a) => a.signalId),
            accepted.map((a) => a.bodyDigest),
            accepted.map((a) => a.receipt.purpose),
            accepted.map((a) => a.receipt.policyVersion),
            accepted.map((a) => a.keyVersion),
            accepted.map((a) => a.receipt.correlationId),
            accepted.map((a) => a.supersedes),
            accepted.map((a) => JSON.stringify(a.receipt)),
            accepted.map((a) => a.receipt.receivedAt),
            accepted.map((a) => a.restedOnConsent),
          ],
        );
        await manager.query(
          `INSERT INTO outbox (record_id, destination, payload, payload_digest, state, attempts,
             next_attempt_at, lease_until, last_error, forwarded_at, created_at)
           SELECT r, 'register', pl, pd, 'pending', 0, ra, NULL, NULL, NULL, ra
             FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::timestamptz[]) AS t(r, pl, pd, ra)`,
          [
            accepted.map((a) => a.record.recordId),
            accepted.map((a) => JSON.stringify(a.record)),
            accepted.map((a) => a.payloadDigest),
            accepted.map((a) => a.receipt.receivedAt),
          ],
        );
      }
      await this.auditLog.appendWithin(manager, audit);
      faultPoint('intake.before-commit');
    });
  }
}

/** What one group member writes: an accepted signal (with its audit entries), or an audit entry alone. */
export type IntakeMember =
  { kind: 'accept'; acceptance: Acceptance } | { kind: 'audit'; entry: AuditEntry | PreparedAuditEntry };

function settleAlone(error: unknown): Settled<boolean> {
  if ((error as { code?: string })?.code === UNIQUE_VIOLATION) return { ok: true, value: false };
  return { ok: false, error };
}
