import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { leafHash, MerkleFrontier, verifyCheckpoint, verifyCosignature } from '@ketenpoort/audit';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../gateway.config.js';
import { AuditCheckpointStore } from '../../audit/infrastructure/audit-checkpoint.store.js';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';

export interface LogVerification {
  id: string;
  startedBy: string;
  startedAt: Date;
  status: 'running' | 'verified' | 'failed';
  /** Entries checked so far, of `total` (the size of the checkpoint). */
  done: number;
  total: number;
  checkpoint?: { size: number; rootHash: string; time: string; cosignatures: number };
  recomputedRoot?: string;
  problem?: { code: string; message: string; index?: number };
}

const KEEP = 20;

class VerificationProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

/**
 * "Verify now": a server-side job that takes the latest cosigned checkpoint, checks the gateway's signature
 * and the witnesses' cosignatures, re-hashes every stored leaf from its entry text, recomputes the Merkle
 * root from those leaves and compares it with the checkpoint's. One job runs at a time per instance; the
 * page polls its progress.
 */
@Injectable()
export class LogVerificationJobs {
  private readonly jobs = new Map<string, LogVerification>();
  private running?: LogVerification;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly auditLog: AuditLog,
    private readonly checkpoints: AuditCheckpointStore,
  ) {}

  get(id: string): LogVerification | undefined {
    return this.jobs.get(id);
  }

  latest(): LogVerification | undefined {
    return [...this.jobs.values()].at(-1);
  }

  /** Starts a job, or returns the one already running. */
  start(startedBy: string): LogVerification {
    if (this.running?.status === 'running') return this.running;
    const job: LogVerification = {
      id: randomUUID(),
      startedBy,
      startedAt: new Date(),
      status: 'running',
      done: 0,
      total: 0,
    };
    this.jobs.set(job.id, job);
    while (this.jobs.size > KEEP) this.jobs.delete(this.jobs.keys().next().value!);
    this.running = job;
    void this.run(job);
    return job;
  }

  private async run(job: LogVerification): Promise<void> {
    try {
      const row = await this.checkpoints.latestCosigned();
      if (!row) throw new VerificationProblem('AUDIT.NO_CHECKPOINT', 'no cosigned checkpoint yet');
      const { checkpoint } = await verifyCheckpoint(row.jws, this.config.audit.jwks);
      if (checkpoint.size !== row.size || checkpoint.rootHash !== row.rootHash) {
        throw new VerificationProblem(
          'AUDIT.CHECKPOINT_MISMATCH',
          'the stored checkpoint differs from its signed text',
        );
      }
      let cosigned = 0;
      for (const cosignature of row.cosignatures) {
        await verifyCosignature(cosignature, checkpoint, this.config.register.receiptJwks);
        cosigned++;
      }
      if (cosigned === 0)
        throw new VerificationProblem('AUDIT.NOT_COSIGNED', 'the checkpoint has no cosignature');
      job.checkpoint = {
        size: row.size,
        rootHash: row.rootHash,
        time: checkpoint.time,
        cosignatures: cosigned,
      };
      job.total = row.size;
      const frontier = MerkleFrontier.empty();
      for await (const entry of this.auditLog.entries(0, 2000)) {
        if (entry.idx >= row.size) break;
        if (entry.idx !== frontier.size)
          throw new VerificationProblem('AUDIT.GAP', `entry ${frontier.size} is missing`, frontier.size);
        if (!leafHash(entry.entry).equals(entry.leafHash))
          throw new VerificationProblem(
            'AUDIT.LEAF_MISMATCH',
            `entry ${entry.idx} does not match its leaf hash`,
            entry.idx,
          );
        frontier.append(entry.leafHash);
        job.done = frontier.size;
        // Let the progress be polled on large logs.
        if (job.done % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      if (frontier.size !== row.size)
        throw new VerificationProblem(
          'AUDIT.GAP',
          `only ${frontier.size} of ${row.size} entries are stored`,
          frontier.size,
        );
      job.recomputedRoot = frontier.root().toString('base64');
      if (job.recomputedRoot !== row.rootHash)
        throw new VerificationProblem(
          'AUDIT.ROOT_MISMATCH',
          'the recomputed root differs from the checkpoint',
        );
      job.status = 'verified';
    } catch (error) {
      job.status = 'failed';
      job.problem =
        error instanceof VerificationProblem
          ? { code: error.code, message: error.message, index: error.index }
          : {
              code: (error as { code?: string })?.code ?? 'AUDIT.VERIFY_FAILED',
              message: (error as { code?: string })?.code
                ? String((error as Error).message)
                : 'verification failed',
            };
    }
  }
}
