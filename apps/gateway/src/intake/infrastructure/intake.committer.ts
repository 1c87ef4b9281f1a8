import { Injectable } from '@nestjs/common';
import { MicroBatcher } from '../micro-batcher.js';
import { IntakeRepository, type IntakeMember, type StoredSignal } from './intake.repository.js';

/** Group sizes and waits of the intake's group commit (ADR 0015). */
export const GROUP_COMMIT = {
  /** Members of one commit transaction at most (bounded by PostgreSQL's 65,535 bind parameters). */
  maxItems: Number(process.env.KETENPOORT_GROUP_COMMIT_MAX ?? 400),
  /** How long a lone member waits for company when nothing is committing. */
  maxWaitMs: Number(process.env.KETENPOORT_GROUP_COMMIT_WAIT_MS ?? 1),
  /** Commit transactions in flight; they serialise on the audit frontier lock anyway. */
  concurrency: 2,
} as const;

/**
 * The intake's write side under load: concurrent single signals and batch lines share commit
 * transactions, and their idempotency look-ups share queries. Each caller is answered after its group
 * committed (or failed).
 *
 * @example
 * const stored = await committer.commit({ kind: 'accept', acceptance }); // false: a duplicate won the race
 */
@Injectable()
export class IntakeCommitter {
  private readonly commits: MicroBatcher<IntakeMember, boolean>;
  private readonly lookups: MicroBatcher<{ partnerId: string; signalId: string }, StoredSignal | null>;

  constructor(repository: IntakeRepository) {
    this.commits = new MicroBatcher((members) => repository.commitGroup(members), GROUP_COMMIT);
    this.lookups = new MicroBatcher(
      async (keys) => (await repository.findMany(keys)).map((value) => ({ ok: true as const, value })),
      { maxItems: 500, maxWaitMs: 0, concurrency: 2 },
    );
  }

  /** Resolves after the commit: true stored, false another request stored this (partner, signalId) first. */
  commit(member: IntakeMember): Promise<boolean> {
    return this.commits.submit(member);
  }

  find(partnerId: string, signalId: string): Promise<StoredSignal | null> {
    return this.lookups.submit({ partnerId, signalId });
  }
}
