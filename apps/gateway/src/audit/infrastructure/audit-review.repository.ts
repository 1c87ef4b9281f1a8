import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEvent } from '@ketenpoort/audit';

/** Filters of a review query; every one is optional. `partnerScope` null = an unscoped token. */
export interface AuditReviewFilter {
  from?: Date;
  to?: Date;
  partnerId?: string;
  purpose?: string;
  event?: AuditEvent;
  policyVersion?: string;
  signalId?: string;
  /** Only these indexes (subject lookup). */
  indexes?: number[];
  partnerScope: string[] | null;
}

/** An entry as a reviewer sees it: index, stored leaf hash and the canonical leaf text (never openings). */
export interface ReviewedEntryRow {
  idx: number;
  leafHash: string;
  text: string;
}

export interface OverviewFieldRow {
  partnerId: string;
  purpose: string;
  field: string;
  action: string;
  count: number;
}

export interface AuditOverviewRows {
  received: { partnerId: string; purpose: string; count: number }[];
  fields: OverviewFieldRow[];
  refusals: { partnerId: string | null; reason: string; count: number }[];
  subjectLookups: number;
}

const UUID_TEXT = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

/**
 * Delivery entries (forwarded, delivered, dead-lettered) name the record, not the partner: they are
 * attributed through the signal table, so a scoped officer sees the whole story of their partners' signals.
 */
const FROM_ENTRIES = `
  FROM audit_entry e
  LEFT JOIN signal s
    ON e.partner_id IS NULL
   AND e.event IN ('signal.forwarded', 'signal.delivered', 'signal.dead-lettered')
   AND s.record_id = CASE WHEN (e.entry::jsonb ->> 'recordId') ~ ${UUID_TEXT}
                          THEN (e.entry::jsonb ->> 'recordId')::uuid END`;
const PARTNER = `COALESCE(e.partner_id, s.partner_id)`;

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Read side of the audit log for privacy officers and auditors: filtered, scope-limited search with
 * keyset paging on the index, the officer's overview (aggregated in SQL), and the entries whose subject
 * openings carry given audit-domain tokens.
 */
@Injectable()
export class AuditReviewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Entries after index `after` (exclusive) matching the filter, in index order, at most `limit`. */
  async search(filter: AuditReviewFilter, after: number, limit: number): Promise<ReviewedEntryRow[]> {
    const params = new Params();
    const where = [`e.idx > ${params.add(after)}`, ...this.conditions(filter, params)];
    const rows = (await this.dataSource.query(
      `SELECT e.idx, encode(e.leaf_hash, 'base64') AS leaf_hash, e.entry ${FROM_ENTRIES}
        WHERE ${where.join(' AND ')} ORDER BY e.idx LIMIT ${params.add(limit)}`,
      params.values,
    )) as { idx: string; leaf_hash: string; entry: string }[];
    return rows.map((r) => ({ idx: Number(r.idx), leafHash: r.leaf_hash, text: r.entry }));
  }

  /** Indexes of the entries whose subject openings hold one of `tokens`. */
  async indexesWithTokens(tokens: string[]): Promise<number[]> {
    if (tokens.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT idx FROM audit_subject_opening WHERE token = ANY($1::text[]) ORDER BY idx`,
      [tokens],
    )) as { idx: string }[];
    return rows.map((r) => Number(r.idx));
  }

  /** Per partner, purpose and field: how often each action was taken; refusals; subject lookups. */
  async overview(
    filter: Pick<AuditReviewFilter, 'from' | 'to' | 'partnerScope'>,
  ): Promise<AuditOverviewRows> {
    const base = (event: string, params: Params) =>
      [`e.event = ${params.add(event)}`, ...this.conditions(filter, params)].join(' AND ');
    let params = new Params();
    const fields = (await this.dataSource.query(
      `SELECT e.partner_id, e.purpose, f ->> 'field' AS field, f ->> 'action' AS action, count(*)::int AS n
         ${FROM_ENTRIES}
         CROSS JOIN LATERAL jsonb_array_elements(COALESCE(e.entry::jsonb -> 'fields', '[]'::jsonb)) AS f
        WHERE ${base('signal.received', params)}
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      params.values,
    )) as { partner_id: string; purpose: string; field: string; action: string; n: number }[];
    params = new Params();
    const received = (await this.dataSource.query(
      `SELECT e.partner_id, e.purpose, count(*)::int AS n ${FROM_ENTRIES}
        WHERE ${base('signal.received', params)} GROUP BY 1, 2 ORDER BY 1, 2`,
      params.values,
    )) as { partner_id: string; purpose: string; n: number }[];
    params = new Params();
    const refusalEvents = `e.event IN ('signal.refused', 'partner.refused')`;
    const refusals = (await this.dataSource.query(
      `SELECT ${PARTNER} AS partner_id, e.reason, count(*)::int AS n ${FROM_ENTRIES}
        WHERE ${[refusalEvents, ...this.conditions(filter, params)].join(' AND ')}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params.values,
    )) as { partner_id: string | null; reason: string | null; n: number }[];
    params = new Params();
    const [lookups] = (await this.dataSource.query(
      `SELECT count(*)::int AS n ${FROM_ENTRIES} WHERE ${base('audit.subject-lookup', params)}`,
      params.values,
    )) as { n: number }[];
    return {
      received: received.map((r) => ({ partnerId: r.partner_id, purpose: r.purpose, count: r.n })),
      fields: fields.map((r) => ({
        partnerId: r.partner_id,
        purpose: r.purpose,
        field: r.field,
        action: r.action,
        count: r.n,
      })),
      refusals: refusals.map((r) => ({ partnerId: r.partner_id, reason: r.reason ?? 'unknown', count: r.n })),
      subjectLookups: lookups?.n ?? 0,
    };
  }

  private conditions(filter: Partial<AuditReviewFilter>, params: Params): string[] {
    const where: string[] = [];
    if (filter.from) where.push(`e.at >= ${params.add(filter.from)}`);
    if (filter.to) where.push(`e.at < ${params.add(filter.to)}`);
    if (filter.partnerId) where.push(`${PARTNER} = ${params.add(filter.partnerId)}`);
    if (filter.purpose) where.push(`COALESCE(e.purpose, s.purpose) = ${params.add(filter.purpose)}`);
    if (filter.event) where.push(`e.event = ${params.add(filter.event)}`);
    if (filter.policyVersion) {
      where.push(`COALESCE(e.policy_version, s.policy_version) = ${params.add(filter.policyVersion)}`);
    }
    if (filter.signalId) where.push(`COALESCE(e.signal_id, s.signal_id) = ${params.add(filter.signalId)}`);
    if (filter.indexes) where.push(`e.idx = ANY(${params.add(filter.indexes)}::bigint[])`);
    if (filter.partnerScope) {
      // Partnerless entries (governance, refused certificates) only for unscoped tokens — except a subject
      // lookup made under a scope inside this one.
      const scope = params.add(filter.partnerScope);
      const scopeJson = params.add(JSON.stringify(filter.partnerScope));
      where.push(
        `(${PARTNER} = ANY(${scope}::text[]) OR (e.event = 'audit.subject-lookup' AND e.partner_id IS NULL
          AND (e.entry::jsonb -> 'scope') <@ ${scopeJson}::jsonb))`,
      );
    }
    return where;
  }
}
