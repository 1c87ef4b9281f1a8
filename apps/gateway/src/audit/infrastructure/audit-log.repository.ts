import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { chainHash, type AuditEntry, type ChainedAuditEntry } from '@ketenpoort/audit';
import { AuditEntryEntity, AuditHeadEntity } from '@ketenpoort/persistence';
import { GatewayError } from '../../common/gateway-error.js';

/**
 * The gateway's append-only audit log (a hash chain; the Merkle log replaces it later). Appends take the
 * head row FOR UPDATE, so concurrent appends — also from several gateway instances — serialise into one
 * chain with contiguous sequence numbers.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends inside the caller's transaction: the entries commit or vanish with the state they describe. */
  async appendWithin(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    const head = await manager
      .getRepository(AuditHeadEntity)
      .createQueryBuilder('head')
      .setLock('pessimistic_write')
      .where('head.id = 1')
      .getOneOrFail();
    let { size, hash } = head;
    const rows: AuditEntryEntity[] = [];
    const createdAt = new Date();
    for (const entry of entries) {
      const next = chainHash(hash, size, entry);
      rows.push(
        Object.assign(new AuditEntryEntity(), { seq: size, prevHash: hash, hash: next, entry, createdAt }),
      );
      size += 1;
      hash = next;
    }
    await manager.insert(AuditEntryEntity, rows);
    await manager.update(AuditHeadEntity, { id: 1 }, { size, hash });
  }

  /** Appends in a transaction of its own (refusals: nothing else is stored). */
  async appendAlone(entry: AuditEntry): Promise<void> {
    try {
      await this.dataSource.transaction((manager) => this.appendWithin(manager, [entry]));
    } catch (error) {
      throw new GatewayError(
        'AUDIT.WRITE_FAILED',
        'the decision could not be audited; nothing was accepted',
        {
          cause: (error as { code?: string })?.code ?? null,
        },
      );
    }
  }

  /** The whole chain in order, for verification and tests. */
  async readAll(): Promise<ChainedAuditEntry[]> {
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({ order: { seq: 'ASC' } });
    return rows.map((row) => ({
      seq: row.seq,
      prevHash: row.prevHash,
      hash: row.hash,
      entry: row.entry as unknown as AuditEntry,
    }));
  }
}
