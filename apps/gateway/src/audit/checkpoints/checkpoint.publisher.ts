import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  buildConsistencyProof,
  checkConsistentCheckpoint,
  readNodesFromStrata,
  signCheckpoint,
  verifyCosignature,
  type Checkpoint,
} from '@ketenpoort/audit';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { RegisterClient } from '../../forwarding/register.client.js';
import { AuditCheckpointStore } from '../infrastructure/audit-checkpoint.store.js';
import { AuditLog, NODE_STRIDE } from '../infrastructure/audit-log.repository.js';

/** A checkpoint as stored, turned back into the signed statement. */
export function checkpointOf(
  row: { size: number; rootHash: string; time: Date },
  origin: string,
): Checkpoint {
  return { origin, size: row.size, rootHash: row.rootHash, time: row.time.toISOString() };
}

/**
 * At most every second while entries arrive: signs a checkpoint (origin, size, root, time) with the audit
 * key — only after checking it is consistent with the last one — and asks the register, as witness, to
 * cosign it. One instance signs at a time (advisory lock); the others skip that round.
 */
@Injectable()
export class CheckpointPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly auditLog: AuditLog,
    private readonly checkpoints: AuditCheckpointStore,
    private readonly register: RegisterClient,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'checkpoint round failed', errorCode: codeOf(error) }, 'Checkpoints'),
        )
        .finally(() => (this.running = undefined));
    }, this.config.audit.checkpointIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: sign when the log grew, then get the newest checkpoint cosigned. Exposed for tests. */
  async tick(): Promise<void> {
    await this.signIfGrown();
    await this.cosignLatest();
  }

  private async signIfGrown(): Promise<void> {
    const origin = this.config.audit.origin;
    await this.checkpoints.withSigningLock(async (manager) => {
      const frontier = await this.auditLog.frontier(manager);
      const last = await this.checkpoints.latest(manager);
      if (frontier.size === 0 || (last && last.size >= frontier.size)) return;
      const next: Checkpoint = {
        origin,
        size: frontier.size,
        rootHash: frontier.root().toString('base64'),
        time: new Date(Math.max(Date.now(), last ? last.time.getTime() : 0)).toISOString(),
      };
      if (last) {
        const reader = (ids: Parameters<ReturnType<AuditLog['nodeReader']>>[0]) =>
          readNodesFromStrata(ids, this.auditLog.nodeReader(manager), NODE_STRIDE);
        const proof = await buildConsistencyProof(last.size, next.size, reader);
        checkConsistentCheckpoint(checkpointOf(last, origin), next, proof);
      }
      const jws = await signCheckpoint(next, this.config.audit.signingKey);
      await this.checkpoints.insert(manager, {
        size: next.size,
        rootHash: next.rootHash,
        time: new Date(next.time),
        jws,
      });
    });
  }

  private async cosignLatest(): Promise<void> {
    const latest = await this.checkpoints.latest();
    if (!latest || latest.cosignatures.length > 0) return;
    const state = await this.register.witnessState();
    if (state.size > latest.size) return;
    const proof =
      state.size > 0 && state.size < latest.size
        ? await buildConsistencyProof(state.size, latest.size, (ids) =>
            readNodesFromStrata(ids, this.auditLog.nodeReader(), NODE_STRIDE),
          )
        : [];
    const cosignature = await this.register.cosign(
      latest.jws,
      proof.map((h) => h.toString('base64')),
    );
    await verifyCosignature(
      cosignature,
      checkpointOf(latest, this.config.audit.origin),
      this.config.register.receiptJwks,
    );
    await this.checkpoints.addCosignature(latest.size, cosignature);
  }
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : null;
}
