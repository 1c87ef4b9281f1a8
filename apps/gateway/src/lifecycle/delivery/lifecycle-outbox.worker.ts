import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../../common/tokens.js';
import { backoffMs, DeliveryLoop } from '../../forwarding/delivery.loop.js';
import type { GatewayConfig } from '../../gateway.config.js';
import {
  LifecycleOutboxRepository,
  type ClaimedRemoval,
} from '../infrastructure/lifecycle-outbox.repository.js';
import { SignalLifecycle } from '../signal-lifecycle.service.js';
import { LifecycleSigner } from './lifecycle.signer.js';
import { RegisterLifecycleClient } from './register-lifecycle.client.js';

/**
 * Sibling of the record outbox worker: delivers signed removal requests to the register with the same
 * poll, batch, lease and backoff settings (`config.outbox`), retries transient failures without limit and
 * audits the register's signed answer. Each round also settles accepted corrections the intake hook missed.
 */
@Injectable()
export class LifecycleOutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: DeliveryLoop;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly queue: LifecycleOutboxRepository,
    private readonly client: RegisterLifecycleClient,
    private readonly signer: LifecycleSigner,
    private readonly lifecycle: SignalLifecycle,
  ) {
    this.loop = new DeliveryLoop(() => this.tick(), config.outbox.pollIntervalMs);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Stops polling and waits for the round in flight, while the register client and database are still open. */
  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** A round now; a wake during a round waits for the next poll. */
  wake(): void {
    if (!this.loop.busy) this.loop.wake();
  }

  /** One round: settle missed corrections, claim due removals and deliver them. Exposed for tests. */
  async tick(): Promise<number> {
    try {
      await this.lifecycle.settleCorrections();
      const claimed = await this.queue.claim(this.config.outbox.batchSize, this.config.outbox.leaseMs);
      await Promise.all(claimed.map((removal) => this.deliver(removal)));
      return claimed.length;
    } catch (error) {
      this.logger.warn(
        { msg: 'lifecycle round failed', errorCode: (error as { code?: string })?.code ?? null },
        'Lifecycle',
      );
      return 0;
    }
  }

  private async deliver(removal: ClaimedRemoval): Promise<void> {
    try {
      const jws = await this.signer.signRemoval(removal.claims, removal.messageId);
      const answer = await this.client.removeRecord(jws);
      if (answer.status === 200) {
        const receiptJws = (JSON.parse(answer.body.toString('utf8')) as { receipt?: unknown }).receipt;
        if (typeof receiptJws !== 'string') throw new Error('REGISTER.RECEIPT_MISSING');
        const claims = await this.signer.verifyRemovalReceipt(receiptJws);
        if (claims.recordId !== removal.recordId) throw new Error('REGISTER.RECEIPT_MISMATCH');
        const outcome = {
          removed: claims.removed,
          keptGrounds: claims.keptGrounds,
          removedAt: claims.removedAt,
        };
        await this.queue.markDelivered(removal.messageId, outcome, {
          event: 'register.record-removed',
          at: new Date().toISOString(),
          correlationId: removal.correlationId,
          partnerId: removal.partnerId,
          signalId: removal.signalId,
          recordId: removal.recordId,
          purpose: removal.purpose,
          reason: removal.claims.cause,
          lifecycle: { removed: claims.removed, keptGrounds: claims.keptGrounds, registerJws: receiptJws },
        });
        this.logger.log(
          { msg: 'record removal confirmed', recordId: removal.recordId, removed: claims.removed },
          'Lifecycle',
        );
      } else if (answer.status === 400 || answer.status === 422) {
        await this.queue.markDead(removal.messageId, `REGISTER.REFUSED_${answer.status}`);
        this.logger.warn(
          { msg: 'record removal refused', recordId: removal.recordId, status: answer.status },
          'Lifecycle',
        );
      } else {
        throw new Error(`REGISTER.HTTP_${answer.status}`);
      }
    } catch (error) {
      const code =
        error instanceof Error && /^[A-Z]+\.[A-Z_0-9]+$/.test(error.message)
          ? error.message
          : `NETWORK.${(error as { code?: string })?.code ?? 'ERROR'}`;
      this.logger.warn(
        { msg: 'record removal failed; will retry', recordId: removal.recordId, reason: code },
        'Lifecycle',
      );
      await this.queue
        .scheduleRetry(removal.messageId, backoffMs(removal.attempts, this.config.outbox.maxBackoffMs), code)
        .catch(() => undefined);
    }
  }
}
