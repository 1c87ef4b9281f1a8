import { beforeAll, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  checkConsistentCheckpoint,
  cosignCheckpoint,
  generateAuditKeyPair,
  leafHash,
  MerkleFrontier,
  MerkleTree,
  signCheckpoint,
  verifyCheckpoint,
  type AuditKeyPair,
  type Checkpoint,
} from '@ketenpoort/audit';
import type { AuditCheckpointEntity } from '@ketenpoort/persistence';
import type { RegisterClient } from '../../forwarding/register.client.js';
import type { GatewayConfig } from '../../gateway.config.js';
import type { AuditCheckpointStore } from '../infrastructure/audit-checkpoint.store.js';
import type { AuditLog } from '../infrastructure/audit-log.repository.js';
import { CheckpointPublisher, checkpointOf } from './checkpoint.publisher.js';

const ORIGIN = 'gateway.test/audit';
let auditKey: AuditKeyPair;
let witnessKey: AuditKeyPair;

beforeAll(async () => {
  [auditKey, witnessKey] = await Promise.all([generateAuditKeyPair(), generateAuditKeyPair()]);
});

/** The log as the database holds it: an in-memory tree that can still grow. */
class FakeAuditLog {
  readonly tree = new MerkleTree();

  /** `name` sets the entries apart: two logs of different names fork at their first entry. */
  constructor(private readonly name = 'log') {}

  grow(n: number): this {
    for (let i = 0; i < n; i++) this.tree.append(leafHash(`${this.name} entry ${this.tree.size}`));
    return this;
  }

  async frontier(): Promise<MerkleFrontier> {
    const frontier = MerkleFrontier.empty();
    for (let i = 0; i < this.tree.size; i++) frontier.append(this.tree.node(0, i));
    return frontier;
  }

  nodeReader() {
    return async (ids: readonly { level: number; index: number }[]) =>
      ids.map((id) => this.tree.node(id.level, id.index));
  }
}

/** audit_checkpoint in memory; the signing lock is held by "another instance" unless `lockFree`. */
class FakeCheckpointStore {
  readonly rows: AuditCheckpointEntity[] = [];
  lockFree = false;

  async withSigningLock(body: (manager: EntityManager) => Promise<void>): Promise<void> {
    if (this.lockFree) await body({} as EntityManager);
  }

  async latest(): Promise<AuditCheckpointEntity | null> {
    const newest = [...this.rows].sort((a, b) => b.size - a.size)[0];
    return newest ? { ...newest, cosignatures: [...newest.cosignatures] } : null;
  }

  async insert(_manager: EntityManager, row: Omit<AuditCheckpointEntity, 'cosignatures'>): Promise<void> {
    if (this.rows.some((r) => r.size === row.size)) throw new Error('duplicate key');
    this.rows.push({ ...row, cosignatures: [] });
  }

  async addCosignature(size: number, cosignature: string): Promise<void> {
    const row = this.rows.find((r) => r.size === size);
    if (row && !row.cosignatures.includes(cosignature)) row.cosignatures.push(cosignature);
  }

  /** Signs the log at `size` as some instance would, after the last stored checkpoint. */
  async sign(log: FakeAuditLog, size: number): Promise<AuditCheckpointEntity> {
    const last = await this.latest();
    const checkpoint: Checkpoint = {
      origin: ORIGIN,
      size,
      rootHash: log.tree.root(size).toString('base64'),
      time: new Date(Date.UTC(2026, 0, 1) + size * 1000).toISOString(),
    };
    if (last)
      checkConsistentCheckpoint(
        checkpointOf(last, ORIGIN),
        checkpoint,
        log.tree.consistencyProof(last.size, size),
      );
    const row = {
      size,
      rootHash: checkpoint.rootHash,
      time: new Date(checkpoint.time),
      jws: await signCheckpoint(checkpoint, auditKey.privateJwk),
    };
    await this.insert({} as EntityManager, row);
    return { ...row, cosignatures: [] };
  }
}

const conflict = () => Object.assign(new Error('REGISTER.WITNESS_REFUSED'), { code: 'REGISTER.HTTP_409' });

/** The register's witness protocol in memory, with the controller's rules (see WitnessHttpController). */
class FakeWitness {
  state: { checkpoint: Checkpoint; cosignature: string } | null = null;
  /** Sizes of the checkpoints asked to be cosigned, in order. */
  readonly asked: number[] = [];
  /** Runs once, when the next cosign request arrives: what another instance did in the meantime. */
  meanwhile?: () => Promise<void>;

  async witnessState(): Promise<{ size: number; rootHash: string | null }> {
    return { size: this.state?.checkpoint.size ?? 0, rootHash: this.state?.checkpoint.rootHash ?? null };
  }

  async cosign(jws: string, proof: string[]): Promise<string> {
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    const { checkpoint } = await verifyCheckpoint(jws, { keys: [auditKey.publicJwk] });
    this.asked.push(checkpoint.size);
    const current = this.state?.checkpoint;
    if (current && current.size === checkpoint.size && current.rootHash === checkpoint.rootHash) {
      return this.state!.cosignature;
    }
    try {
      checkConsistentCheckpoint(
        current,
        checkpoint,
        proof.map((p) => Buffer.from(p, 'base64')),
      );
    } catch {
      throw conflict();
    }
    this.state = { checkpoint, cosignature: await cosignCheckpoint(checkpoint, witnessKey.privateJwk) };
    return this.state.cosignature;
  }

  /** Another instance's successful cosign of `row` (its proof built from the whole log). */
  async cosignedByOther(row: AuditCheckpointEntity, log: FakeAuditLog): Promise<string> {
    const from = this.state?.checkpoint.size ?? 0;
    const proof = from > 0 ? log.tree.consistencyProof(from, row.size) : [];
    return this.cosign(
      row.jws,
      proof.map((h) => h.toString('base64')),
    );
  }
}

class CapturingLogger implements LoggerService {
  readonly warnings: Record<string, unknown>[] = [];
  log(): void {}
  error(): void {}
  warn(message: Record<string, unknown>): void {
    this.warnings.push(message);
  }
}

function setUp() {
  const log = new FakeAuditLog();
  const store = new FakeCheckpointStore();
  const witness = new FakeWitness();
  const logger = new CapturingLogger();
  const config = {
    audit: { origin: ORIGIN, signingKey: auditKey.privateJwk, checkpointIntervalMs: 1000 },
    register: { receiptJwks: { keys: [witnessKey.publicJwk] } },
  } as unknown as GatewayConfig;
  const sut = new CheckpointPublisher(
    config,
    logger,
    log as unknown as AuditLog,
    store as unknown as AuditCheckpointStore,
    witness as unknown as RegisterClient,
  );
  return { sut, log, store, witness, logger };
}

describe(CheckpointPublisher.name, () => {
  it('signs the grown log and has the newest checkpoint cosigned with a proof from the witness state', async () => {
    const { sut, log, store, witness } = setUp();
    store.lockFree = true;
    log.grow(5);
    await sut.tick();
    log.grow(37);
    await sut.tick();

    expect(store.rows.map((r) => [r.size, r.cosignatures.length])).toEqual([
      [5, 1],
      [42, 1],
    ]);
    expect(witness.asked).toEqual([5, 42]);
    expect(witness.state?.checkpoint.size).toBe(42);
  });

  it('never signs a checkpoint that is inconsistent with the last one stored', async () => {
    const { sut, log, store } = setUp();
    await store.sign(new FakeAuditLog('fork').grow(3), 3);
    log.grow(10);
    store.lockFree = true;

    await expect(sut.tick()).rejects.toMatchObject({ code: 'AUDIT.CHECKPOINT_INCONSISTENT' });
    expect(store.rows.map((r) => r.size)).toEqual([3]);
  });

  it('on a 409 because another instance had a newer checkpoint cosigned meanwhile, moves on to that one', async () => {
    const { sut, log, store, witness } = setUp();
    log.grow(20);
    await witness.cosignedByOther(await store.sign(log, 4), log);
    await store.sign(log, 10);
    // Between this instance's state read (size 4) and its cosign request, the other instance signs 20 and
    // gets it cosigned (but has not recorded the cosignature yet): the proof 4→10 no longer fits.
    witness.meanwhile = async () => {
      await witness.cosignedByOther(await store.sign(log, 20), log);
    };

    await sut.tick();

    expect(witness.asked).toEqual([4, 20, 10, 20]);
    const bySize = Object.fromEntries(store.rows.map((r) => [r.size, r.cosignatures]));
    expect(bySize[10]).toEqual([]);
    expect(bySize[20]).toEqual([witness.state?.cosignature]);
  });

  it('records the cosignature when the witness already cosigned this very checkpoint', async () => {
    const { sut, log, store, witness } = setUp();
    log.grow(12);
    await witness.cosignedByOther(await store.sign(log, 5), log);
    // The other instance had 12 cosigned and stopped before it recorded the cosignature.
    await witness.cosignedByOther(await store.sign(log, 12), log);

    await sut.tick();

    expect(witness.asked).toEqual([5, 12, 12]);
    expect(store.rows.find((r) => r.size === 12)?.cosignatures).toEqual([witness.state?.cosignature]);
  });

  it('stops after a few attempts and fails the round when the witness keeps refusing (a fork)', async () => {
    const { sut, log, store, witness } = setUp();
    const other = new FakeAuditLog('fork').grow(6);
    const otherStore = new FakeCheckpointStore();
    await witness.cosignedByOther(await otherStore.sign(other, 6), other);
    log.grow(9);
    await store.sign(log, 9);

    await expect(sut.tick()).rejects.toMatchObject({ code: 'REGISTER.HTTP_409' });
    expect(witness.asked).toEqual([6, 9, 9, 9]);
    expect(store.rows[0].cosignatures).toEqual([]);
  });

  it('warns once, with codes and sizes only, when the witness is ahead of the newest checkpoint', async () => {
    const { sut, log, store, witness, logger } = setUp();
    log.grow(30);
    await witness.cosignedByOther(await store.sign(log, 30), log);
    // This gateway's database was restored to a state with the log at 8 entries.
    store.rows.splice(0);
    await store.sign(log, 8);

    await sut.tick();
    await sut.tick();

    expect(witness.asked).toEqual([30]);
    expect(logger.warnings).toEqual([
      {
        msg: 'the witness cosigned a larger checkpoint than this log has',
        errorCode: 'AUDIT.WITNESS_AHEAD',
        witnessSize: 30,
        checkpointSize: 8,
      },
    ]);
    expect(store.rows[0].cosignatures).toEqual([]);
  });
});
