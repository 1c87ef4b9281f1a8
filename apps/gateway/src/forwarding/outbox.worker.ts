import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '@ketenpoort/audit';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../common/tokens.js';
import { faultPoint } from '../common/fault-point.js';
import { GatewayMetrics } from '../common/metrics.js';
import type { GatewayConfig } from '../gateway.config.js';
import { backoffMs, DeliveryLoop } from './delivery.loop.js';
import { OutboxRepository, type ClaimedDelivery } from './infrastructure/outbox.repository.js';
import { RecordSigner } from './record-signer.js';
import { RegisterClient, type DeliveryOutcome } from './register.client.js';

interface BatchResult {
  recordId?: string | null;
  status?: string;
  receipt?: unknown;
  error?: { code?: string; fields?: Array<{ path?: unknown }> };
}

/** A register error code, or a fixed stand-in when it is not one (nothing else of the answer is kept). */
function safeCode(code: unknown): string {
  return typeof code === 'string' && /^[A-Z][A-Z0-9_.]{0,63}$/.test(code)
    ? code.replace(/\./g, '_')
    : 'REFUSED';
}

/**
 * Delivers committed outbox rows to the register, signed; retries transient failures without limit;
 * dead-letters only what the register refuses as invalid. Runs in every gateway instance; rows are shared
 * out with SKIP LOCKED leases.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: DeliveryLoop;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly outbox: OutboxRepository,
    private readonly client: RegisterClient,
    private readonly signer: RecordSigner,
    private readonly metrics: GatewayMetrics,
  ) {
    this.loop = new DeliveryLoop(() => this.tick(), config.outbox.pollIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Called after a commit, so that a new record does not wait for the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Stops polling and waits for the round in flight, while the register client and database are still open. */
  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: claim due rows and deliver them. Exposed for tests. */
  async tick(): Promise<number> {
    let claimed: ClaimedDelivery[];
    try {
      claimed = await this.outbox.claim(this.config.outbox.batchSize, this.config.outbox.leaseMs);
    } catch (error) {
      this.logger.warn(
        { msg: 'outbox claim failed', errorCode: (error as { code?: string })?.code ?? null },
        'Outbox',
      );
      return 0;
    }
    if (claimed.length) await this.deliverBatch(claimed);
    if (claimed.length === this.config.outbox.batchSize) this.loop.runAgain();
    return claimed.length;
  }

  /**
   * Sends the claimed records as one batch, signed once over their ids and digests, and settles them in
   * one transaction (one `signal.delivered` entry per record, each with the register's own receipt for
   * it). Records the register refuses are dead-lettered alone; records it does not answer are retried.
   * When the register refuses the batch as a whole (or has no batch endpoint), each record goes alone.
   */
  private async deliverBatch(claimed: ClaimedDelivery[]): Promise<void> {
    const batchId = randomUUID();
    const now = new Date().toISOString();
    const base = (d: ClaimedDelivery) => ({
      at: now,
      correlationId: d.record.correlationId,
      recordId: d.recordId,
      payloadDigest: d.payloadDigest,
    });
    let outcome: DeliveryOutcome;
    try {
      await this.outbox.markForwardedMany(
        claimed
          .filter((d) => d.firstAttempt)
          .map((d) => ({
            recordId: d.recordId,
            entry: {
              ...base(d),
              event: 'signal.forwarded',
              purpose: d.record.purpose,
              policyVersion: d.record.policyVersion,
              keyVersion: d.record.keyVersion,
            },
          })),
      );
      const jws = await this.signer.signBatch(
        batchId,
        claimed.map((d) => ({ recordId: d.recordId, payloadDigest: d.payloadDigest })),
      );
      const body = `{"batch":${JSON.stringify(jws)},"records":[${claimed.map((d) => JSON.stringify(d.record)).join(',')}]}`;
      outcome = await this.client.deliverBatch(body, batchId);
    } catch (error) {
      await this.retryAll(claimed.map((d) => ({ delivery: d, code: errorCode(error) })));
      return;
    }
    faultPoint('outbox.mid-delivery');
    if (outcome.kind === 'transient') {
      await this.retryAll(claimed.map((d) => ({ delivery: d, code: outcome.code })));
      return;
    }
    if (outcome.kind === 'permanent') {
      this.logger.warn(
        { msg: 'batch refused; delivering records one by one', batchId, reason: outcome.code },
        'Outbox',
      );
      for (const d of claimed) await this.deliver({ ...d, firstAttempt: false });
      return;
    }
    const results = (outcome.body as { results?: unknown })?.results;
    const byIndex = Array.isArray(results) ? (results as BatchResult[]) : [];
    const delivered: Array<{ recordId: string; entry: AuditEntry }> = [];
    const retries: Array<{ delivery: ClaimedDelivery; code: string }> = [];
    const settled = await Promise.allSettled(
      claimed.map(async (d, i) => {
        const result = byIndex[i];
        if (result?.status === 'stored' || result?.status === 'existing') {
          if (typeof result.receipt !== 'string') throw new Error('REGISTER.RECEIPT_MISSING');
          const claims = await this.signer.verifyReceipt(result.receipt);
          if (claims.recordId !== d.recordId || claims.payloadDigest !== d.payloadDigest) {
            throw new Error('REGISTER.RECEIPT_MISMATCH');
          }
          return { kind: 'delivered' as const, jws: result.receipt, receivedAt: claims.receivedAt };
        }
        if (result?.status === 'refused') return { kind: 'refused' as const, result };
        throw new Error('REGISTER.RESULT_MISSING');
      }),
    );
    for (const [i, d] of claimed.entries()) {
      const outcomeOfRecord = settled[i];
      if (outcomeOfRecord.status === 'rejected') {
        retries.push({ delivery: d, code: errorCode(outcomeOfRecord.reason) });
        continue;
      }
      const value = outcomeOfRecord.value;
      if (value.kind === 'delivered') {
        delivered.push({
          recordId: d.recordId,
          entry: {
            ...base(d),
            event: 'signal.delivered',
            at: new Date().toISOString(),
            registerReceipt: { jws: value.jws, receivedAt: value.receivedAt },
          },
        });
        continue;
      }
      const code = `REGISTER.${safeCode(value.result.error?.code)}`;
      try {
        await this.outbox.markDead(d.recordId, code, {
          ...base(d),
          event: 'signal.dead-lettered',
          reason: code,
        });
      } catch (error) {
        retries.push({ delivery: d, code: errorCode(error) });
        continue;
      }
      this.metrics.increment('deliveries_total', { outcome: 'dead-lettered' });
      this.logger.warn(
        {
          msg: 'record dead-lettered',
          correlationId: d.record.correlationId,
          recordId: d.recordId,
          reason: code,
          fields: (value.result.error?.fields ?? [])
            .map((f) => f.path)
            .filter((p) => typeof p === 'string')
            .slice(0, 20),
        },
        'Outbox',
      );
    }
    await this.retryAll(retries);
    try {
      await this.outbox.markDeliveredMany(delivered);
    } catch {
      // Not settled: the leases run out and the records are sent again; the register answers `existing`.
      return;
    }
    if (delivered.length)
      this.metrics.increment('deliveries_total', { outcome: 'delivered' }, delivered.length);
    this.logger.log({ msg: 'records delivered', batchId, records: delivered.length }, 'Outbox');
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { recordId, record } = delivery;
    const base = {
      at: new Date().toISOString(),
      correlationId: record.correlationId,
      recordId,
      payloadDigest: delivery.payloadDigest,
    };
    try {
      if (delivery.firstAttempt) {
        await this.outbox.markForwarded(recordId, {
          ...base,
          event: 'signal.forwarded',
          purpose: record.purpose,
          policyVersion: record.policyVersion,
          keyVersion: record.keyVersion,
        });
      }
      const jws = await this.signer.sign(record);
      const outcome = await this.client.deliver(jws, record.correlationId);
      faultPoint('outbox.mid-delivery');
      if (outcome.kind === 'stored') {
        const receiptJws = (outcome.body as { receipt?: unknown })?.receipt;
        if (typeof receiptJws !== 'string') throw new Error('REGISTER.RECEIPT_MISSING');
        const claims = await this.signer.verifyReceipt(receiptJws);
        if (claims.recordId !== recordId || claims.payloadDigest !== delivery.payloadDigest) {
          throw new Error('REGISTER.RECEIPT_MISMATCH');
        }
        const entry: AuditEntry = {
          ...base,
          event: 'signal.delivered',
          at: new Date().toISOString(),
          registerReceipt: { jws: receiptJws, receivedAt: claims.receivedAt },
        };
        await this.outbox.markDelivered(recordId, entry);
        this.metrics.increment('deliveries_total', { outcome: 'delivered' });
        this.logger.log({ msg: 'record delivered', correlationId: record.correlationId, recordId }, 'Outbox');
      } else if (outcome.kind === 'permanent') {
        await this.outbox.markDead(recordId, outcome.code, {
          ...base,
          event: 'signal.dead-lettered',
          reason: outcome.code,
        });
        this.metrics.increment('deliveries_total', { outcome: 'dead-lettered' });
        this.logger.warn(
          {
            msg: 'record dead-lettered',
            correlationId: record.correlationId,
            recordId,
            reason: outcome.code,
            fields: outcome.fields,
          },
          'Outbox',
        );
      } else {
        await this.retry(delivery, outcome.code);
      }
    } catch (error) {
      await this.retry(delivery, errorCode(error));
    }
  }

  private retry(delivery: ClaimedDelivery, code: string): Promise<void> {
    return this.retryAll([{ delivery, code }]);
  }

  /** Hands records back for a later attempt (backoff with jitter per record), in one statement. */
  private async retryAll(retries: Array<{ delivery: ClaimedDelivery; code: string }>): Promise<void> {
    if (retries.length === 0) return;
    this.metrics.increment('deliveries_total', { outcome: 'retry' }, retries.length);
    for (const { delivery, code } of retries) {
      this.logger.warn(
        {
          msg: 'delivery failed; will retry',
          recordId: delivery.recordId,
          attempt: delivery.attempts,
          reason: code,
        },
        'Outbox',
      );
    }
    try {
      await this.outbox.scheduleRetries(
        retries.map(({ delivery, code }) => ({
          recordId: delivery.recordId,
          delayMs: backoffMs(delivery.attempts, this.config.outbox.maxBackoffMs),
          errorCode: code,
        })),
      );
    } catch {
      // The leases run out and the rows are claimed again.
    }
  }
}

/** An error's code when it is one of ours (`AREA.CODE`), a fixed stand-in otherwise. */
function errorCode(error: unknown): string {
  return error instanceof Error && /^[A-Z]+\.[A-Z_]+$/.test(error.message) ? error.message : 'DELIVERY.ERROR';
}
