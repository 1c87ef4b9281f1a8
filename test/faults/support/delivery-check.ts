import { join } from 'node:path';
import { eventually } from '@ketenpoort/testing';
import { verifyAuditExport, type AuditVerifyReport } from '@ketenpoort/audit';
import { exportWhenCosigned } from '../../../apps/cli/src/audit/audit-export.js';
import { issueDevToken } from '../../../apps/cli/src/token/token.command.js';
import { sql } from '../../support/stack-client.js';
import type { FaultStack } from './fault-stack.js';
import type { LoadFigures, Outcome } from './load-driver.js';
import type { ServiceProcess } from './service-process.js';

/** Records a gateway instance settled as delivered (one by one, or in batches), from its log. */
export function deliveredBy(gateway: ServiceProcess): number {
  return gateway.count('record delivered') + gateway.sum('records delivered', 'records');
}

/** Records the register received again after it had stored them (harmless: idempotent), from its log. */
export function redundantSends(register: ServiceProcess): number {
  const batches = register.matching('record batch stored');
  const again = batches.reduce(
    (n, b) => n + (Number(b.records) || 0) - (Number(b.stored) || 0) - (Number(b.refused) || 0),
    0,
  );
  return register.count('record delivered again') + again;
}

export interface OutboxState {
  pending: number;
  delivered: number;
  dead: number;
}

export async function outboxState(gatewayDatabaseUrl: string): Promise<OutboxState> {
  const [row] = await sql<{ pending: string; delivered: string; dead: string }>(
    gatewayDatabaseUrl,
    `SELECT count(*) FILTER (WHERE state = 'pending') AS pending,
            count(*) FILTER (WHERE state = 'delivered') AS delivered,
            count(*) FILTER (WHERE state = 'dead') AS dead FROM outbox`,
  );
  return { pending: Number(row.pending), delivered: Number(row.delivered), dead: Number(row.dead) };
}

/** Waits until no outbox row is pending (the backlog drained); returns how long that took. */
export async function waitForDrain(gatewayDatabaseUrl: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await eventually(
    async () => ((await outboxState(gatewayDatabaseUrl)).pending === 0 ? true : undefined),
    timeoutMs,
  );
  return Date.now() - started;
}

export interface DeliveryFigures {
  sent: number;
  acknowledged: number;
  unanswered: number;
  /** Unanswered signals that nevertheless reached the register (allowed: once). */
  unansweredDelivered: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Register records no gateway signal row explains (must be 0). */
  orphans: number;
  deadLetters: number;
  pending: number;
}

/**
 * Compares what the load driver was told with both databases: each acknowledged signal must be in the
 * register exactly once (through its record id), each unanswered one at most once; the gateway holds at
 * most one signal row per (partner, signal id), and every register record maps back to one.
 */
export async function checkDelivery(
  gatewayDatabaseUrl: string,
  registerDatabaseUrl: string,
  outcomes: Outcome[],
): Promise<DeliveryFigures> {
  const signals = await sql<{ partner_id: string; signal_id: string; record_id: string }>(
    gatewayDatabaseUrl,
    'SELECT partner_id, signal_id, record_id FROM signal',
  );
  const records = new Set(
    (await sql<{ record_id: string }>(registerDatabaseUrl, 'SELECT record_id FROM register_record')).map(
      (r) => r.record_id,
    ),
  );
  const bySignal = new Map<string, string[]>();
  for (const s of signals) {
    const key = `${s.partner_id}|${s.signal_id}`;
    bySignal.set(key, [...(bySignal.get(key) ?? []), s.record_id]);
  }
  const known = new Set(signals.map((s) => s.record_id));
  const outbox = await outboxState(gatewayDatabaseUrl);
  const figures: DeliveryFigures = {
    sent: outcomes.length,
    acknowledged: 0,
    unanswered: 0,
    unansweredDelivered: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    orphans: [...records].filter((id) => !known.has(id)).length,
    deadLetters: outbox.dead,
    pending: outbox.pending,
  };
  for (const outcome of outcomes) {
    const recordIds = bySignal.get(`${outcome.partnerId}|${outcome.signalId}`) ?? [];
    const inRegister = recordIds.filter((id) => records.has(id)).length;
    if (recordIds.length > 1 || inRegister > 1) figures.duplicated += 1;
    if (inRegister > 0) figures.delivered += 1;
    if (outcome.kind === 'acked') {
      figures.acknowledged += 1;
      if (!records.has(outcome.recordId) || !recordIds.includes(outcome.recordId)) figures.lost += 1;
    } else if (outcome.kind === 'unanswered') {
      figures.unanswered += 1;
      if (inRegister > 0) figures.unansweredDelivered += 1;
    }
  }
  return figures;
}

/**
 * Exports the gateway's audit log through the admin API once a cosigned checkpoint covers every entry,
 * and verifies the export offline (Merkle tree, checkpoint signatures, cosignatures).
 */
export async function verifyAuditLog(
  stack: Pick<FaultStack, 'adminUrls' | 'dataDir' | 'ca'>,
  gatewayDatabaseUrl: string,
  /** Which gateway instance's admin API exports the log (all share it). */
  instance = 0,
): Promise<AuditVerifyReport> {
  const { dataDir, ca } = stack;
  const adminUrl = stack.adminUrls[instance];
  const [{ n }] = await sql<{ n: string }>(gatewayDatabaseUrl, 'SELECT count(*) AS n FROM audit_entry');
  const size = Number(n);
  const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'fault-test-auditor' });
  const dir = join(dataDir, `audit-export-${Date.now()}`);
  await exportWhenCosigned({ adminUrl, token, ca }, dir, size, 60_000);
  return verifyAuditExport(dir);
}

/** The closing-note figures of one fault test, printed so the suite's output carries them. */
export function printFigures(
  test: string,
  load: LoadFigures,
  delivery: DeliveryFigures,
  extra: Record<string, number | string> = {},
  anomalies: string[] = [],
): void {
  const figures = {
    test,
    'signals sent': load.sent,
    acknowledged: delivery.acknowledged,
    unanswered: delivery.unanswered,
    'unanswered but delivered (once)': delivery.unansweredDelivered,
    delivered: delivery.delivered,
    lost: delivery.lost,
    duplicated: delivery.duplicated,
    'register orphans': delivery.orphans,
    'dead letters': delivery.deadLetters,
    '5xx seen': load.fiveXx,
    '503 with Retry-After': load.serviceUnavailable,
    '5xx other than 503': load.badFiveXx,
    '429 (retried)': load.rateLimited,
    'connection refused (retried)': load.connectRefused,
    refused: load.refused,
    ...extra,
    ...(anomalies.length ? { anomalies: anomalies.slice(0, 20) } : {}),
  };
  console.log(`FAULT FIGURES ${test}\n${JSON.stringify(figures, null, 2)}`);
}
