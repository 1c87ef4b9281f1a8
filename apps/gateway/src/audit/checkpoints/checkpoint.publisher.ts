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
import type { AuditCheckpointEntity } from '@ketenpoort/persistence';
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

/** Reads of both sides per round when the witness moved on meanwhile (another instance cosigned). */
const COSIGN_ATTEMPTS = 3;

/**
 * At most every second while entries arrive: signs a checkpoint (origin, size, root, time) with the audit
 * key — only after checking it is consistent with the last one — and asks the register, as witness, to
 * cosign the newest signed one. One instance signs at a time (advisory lock); the others skip that round.
 * Every instance cosigns: when the witness refuses because it cosigned a checkpoint since this instance
 * read its state (the other instance's, newer or the same), it reads both sides again and targets the
 * newest, rather than failing rounds on a stale proof.
 */
@Injectable()
export class CheckpointPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** The witness size last warned about as ahead of this log, so that the warning is not repeated each round. */
  private aheadWarnedAt?: number;

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
    for (let attempt = 1; attempt <= COSIGN_ATTEMPTS; attempt++) {
      const latest = await this.checkpoints.latest();
      if (!latest || latest.cosignatures.length > 0) return;
      const state = await this.register.witnessState();
      if (state.size > latest.size) {
        // The witness cosigns only what an instance signed and committed before asking: when this log has
        // it now, another instance had it cosigned after our read — look again; otherwise the witness is ahead.
        const now = await this.checkpoints.latest();
        if (!now || now.size < state.size) return this.warnWitnessAhead(state.size, now?.size ?? 0);
        continue;
      }
      try {
        await this.cosign(latest, state.size);
        this.aheadWarnedAt = undefined;
        return;
      } catch (error) {
        // 409: not consistent with what the witness cosigned last. Usually it cosigned another instance's
        // checkpoint after our state read (newer, or this one); a real fork keeps failing and ends the round.
        if (codeOf(error) !== 'REGISTER.HTTP_409' || attempt === COSIGN_ATTEMPTS) throw error;
      }
    }
  }

  private async cosign(latest: AuditCheckpointEntity, witnessSize: number): Promise<void> {
    const proof =
      witnessSize > 0 && witnessSize < latest.size
        ? await buildConsistencyProof(witnessSize, latest.size, (ids) =>
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

  /** A witness ahead of this log: for example a gateway database restored from an older backup. */
  private warnWitnessAhead(witnessSize: number, checkpointSize: number): void {
    if (this.aheadWarnedAt === witnessSize) return;
    this.aheadWarnedAt = witnessSize;
    this.logger.warn(
      {
        msg: 'the witness cosigned a larger checkpoint than this log has',
        errorCode: 'AUDIT.WITNESS_AHEAD',
        witnessSize,
        checkpointSize,
      },
      'Checkpoints',
    );
  }
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : null;
}
