import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditCheckpointEntity } from '@ketenpoort/persistence';

/** Signed checkpoints and their cosignatures. */
@Injectable()
export class AuditCheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `body` in a transaction only if no other instance is signing right now. */
  async withSigningLock(body: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('audit-checkpoint')) AS locked`,
      )) as {
        locked: boolean;
      }[];
      if (locked) await body(manager);
    });
  }

  latest(
    manager: EntityManager = this.dataSource.manager,
    cosignedOnly = false,
  ): Promise<AuditCheckpointEntity | null> {
    const query = manager
      .getRepository(AuditCheckpointEntity)
      .createQueryBuilder('c')
      .orderBy('c.size', 'DESC')
      .limit(1);
    if (cosignedOnly) query.where('jsonb_array_length(c.cosignatures) > 0');
    return query.getOne();
  }

  /** The smallest cosigned checkpoint that covers `size` entries, else the latest cosigned. */
  async latestCosigned(): Promise<AuditCheckpointEntity | null> {
    return this.latest(this.dataSource.manager, true);
  }

  all(): Promise<AuditCheckpointEntity[]> {
    return this.dataSource.getRepository(AuditCheckpointEntity).find({ order: { size: 'ASC' } });
  }

  async insert(
    manager: EntityManager,
    row: Pick<AuditCheckpointEntity, 'size' | 'rootHash' | 'time' | 'jws'>,
  ): Promise<void> {
    await manager.insert(AuditCheckpointEntity, { ...row, cosignatures: [] });
  }

  async addCosignature(size: number, cosignature: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE audit_checkpoint SET cosignatures = cosignatures || jsonb_build_array($2::text)
        WHERE size = $1 AND NOT cosignatures ? $2`,
      [size, cosignature],
    );
  }
}
