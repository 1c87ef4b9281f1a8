import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { redactionEntry, type AuditEntry } from '@ketenpoort/audit';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';
import { GatewayError } from '../../common/gateway-error.js';

export interface AuditErasure {
  erasureId: string;
  requestReference: string;
  leafIndexes: number[];
  status: 'pending' | 'executed';
  requestedBy: string;
  requestedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Indexes of the redaction entries appended on approval. */
  redactionIndexes?: number[];
}

interface ErasureRow {
  erasure_id: string;
  request_reference: string;
  leaf_indexes: number[];
  status: AuditErasure['status'];
  requested_by: string;
  requested_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
}

const toErasure = (r: ErasureRow): AuditErasure => ({
  erasureId: r.erasure_id,
  requestReference: r.request_reference,
  leafIndexes: r.leaf_indexes,
  status: r.status,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  approvedBy: r.approved_by,
  approvedAt: r.approved_at ? new Date(r.approved_at).toISOString() : null,
});

/**
 * Lawful erasure in the audit log (four eyes): a privacy officer files a request naming leaves; a second one
 * approves it, and in one transaction the subject openings (token + salt) of those leaves are deleted and a
 * signed-into-the-tree `audit.redaction` entry per leaf is appended. Leaves and proofs stay untouched.
 */
@Injectable()
export class AuditErasureRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  /** Leaves that still hold an opening for one of these audit-domain tokens (what a subject lookup matches). */
  async leavesOfTokens(tokens: string[]): Promise<number[]> {
    if (tokens.length === 0) return [];
    const rows: { idx: string }[] = await this.dataSource.query(
      `SELECT DISTINCT idx FROM audit_subject_opening WHERE token = ANY($1::text[]) ORDER BY idx`,
      [tokens],
    );
    return rows.map((r) => Number(r.idx));
  }

  /** Of these leaves, the ones that still hold at least one opening. */
  async leavesWithOpenings(leafIndexes: number[]): Promise<number[]> {
    const rows: { idx: string }[] = await this.dataSource.query(
      `SELECT DISTINCT idx FROM audit_subject_opening WHERE idx = ANY($1::bigint[]) ORDER BY idx`,
      [leafIndexes],
    );
    return rows.map((r) => Number(r.idx));
  }

  async request(input: {
    requestReference: string;
    leafIndexes: number[];
    actor: string;
    correlationId: string;
  }) {
    const erasureId = randomUUID();
    const at = new Date();
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO audit_erasure (erasure_id, request_reference, leaf_indexes, status, requested_by, requested_at)
         VALUES ($1, $2, $3::jsonb, 'pending', $4, $5)`,
        [erasureId, input.requestReference, JSON.stringify(input.leafIndexes), input.actor, at],
      );
      const entry: AuditEntry = {
        event: 'audit.erasure-requested',
        at: at.toISOString(),
        correlationId: input.correlationId,
        actor: input.actor,
        requestReference: input.requestReference,
        lifecycle: { erasureId, leafIndexes: input.leafIndexes },
      };
      await this.auditLog.appendWithin(manager, [entry]);
    });
    return (await this.find(erasureId))!;
  }

  async find(erasureId: string): Promise<AuditErasure | null> {
    const [row]: ErasureRow[] = await this.dataSource.query(
      `SELECT * FROM audit_erasure WHERE erasure_id = $1`,
      [erasureId],
    );
    return row ? toErasure(row) : null;
  }

  /** The second officer's approval: deletes the openings and appends the redaction entries, atomically. */
  async approve(erasureId: string, approver: string, correlationId: string): Promise<AuditErasure> {
    return this.dataSource.transaction(async (manager) => {
      const [row]: ErasureRow[] = await manager.query(
        `SELECT * FROM audit_erasure WHERE erasure_id = $1 FOR UPDATE`,
        [erasureId],
      );
      if (!row) throw new GatewayError('ERASURE.NOT_FOUND', 'no erasure request with this id');
      if (row.status !== 'pending')
        throw new GatewayError('ERASURE.INVALID_STATE', `this erasure request is ${row.status}`);
      if (row.requested_by === approver)
        throw new GatewayError('ERASURE.FOUR_EYES', 'a second privacy officer must approve an erasure');
      const at = new Date().toISOString();
      const entries: AuditEntry[] = [];
      for (const leafIndex of row.leaf_indexes) {
        const [leaf]: { entry: string }[] = await manager.query(
          `SELECT entry FROM audit_entry WHERE idx = $1`,
          [leafIndex],
        );
        const commitments = leaf ? ((JSON.parse(leaf.entry) as AuditEntry).subjectCommitments ?? []) : [];
        const deleted: { position: number }[] = await manager
          .query(`DELETE FROM audit_subject_opening WHERE idx = $1 RETURNING position`, [leafIndex])
          .then((r: unknown[]) => (Array.isArray(r[0]) ? r[0] : r) as { position: number }[]);
        const erased = deleted
          .map((d) => commitments[d.position])
          .filter((c): c is string => typeof c === 'string');
        if (erased.length === 0) continue;
        entries.push(
          redactionEntry(
            {
              leafIndex,
              commitments: erased,
              requestReference: row.request_reference,
              actors: [row.requested_by, approver],
            },
            { at, correlationId, actor: approver },
          ),
        );
      }
      const redactionIndexes = await this.auditLog.appendWithin(manager, entries);
      await manager.query(
        `UPDATE audit_erasure SET status = 'executed', approved_by = $2, approved_at = $3 WHERE erasure_id = $1`,
        [erasureId, approver, at],
      );
      return {
        ...toErasure({ ...row, status: 'executed', approved_by: approver, approved_at: new Date(at) }),
        redactionIndexes,
      };
    });
  }
}
