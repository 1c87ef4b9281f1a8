import { Injectable } from '@nestjs/common';
import { DataSource, In, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { MerkleFrontier, type AuditEntry, type MerkleNodeId } from '@ketenpoort/audit';
import {
  AuditEntryEntity,
  AuditFrontierEntity,
  AuditNodeEntity,
  AuditSubjectOpeningEntity,
} from '@ketenpoort/persistence';
import { faultPoint } from '../../common/fault-point.js';
import { GatewayError } from '../../common/gateway-error.js';
import { prepareAuditEntry, type PreparedAuditEntry } from '../audit-preparation.js';

/** Inner nodes kept in the database: every 8th level (leaf hashes are level 0, in audit_entry). */
export const NODE_STRIDE = 8;

/**
 * The gateway's Merkle audit log (RFC 6962). Appends integrate in the caller's transaction under the
 * frontier row lock (Tessera's pattern): indexes are assigned, entries, openings and inner nodes inserted
 * and the frontier updated in the same commit as the state the entries describe — so several gateway
 * instances on one PostgreSQL write one log with no gaps, duplicates or forks, and a rolled-back intake
 * leaves no index behind.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends inside the caller's transaction; returns the indexes, in order. */
  async appendWithin(
    manager: EntityManager,
    inputs: Array<AuditEntry | PreparedAuditEntry>,
  ): Promise<number[]> {
    if (inputs.length === 0) return [];
    const prepared = inputs.map(prepareAuditEntry);
    faultPoint('audit.before-index-assignment');
    const row = await manager
      .getRepository(AuditFrontierEntity)
      .createQueryBuilder('f')
      .setLock('pessimistic_write')
      .where('f.id = 1')
      .getOneOrFail();
    const frontier = MerkleFrontier.fromJSON(row.frontier);
    const entries: Partial<AuditEntryEntity>[] = [];
    const openings: Partial<AuditSubjectOpeningEntity>[] = [];
    const nodes: Partial<AuditNodeEntity>[] = [];
    const indexes: number[] = [];
    for (const p of prepared) {
      const idx = frontier.size;
      indexes.push(idx);
      frontier.append(p.leafHash, (node) => {
        if (node.level % NODE_STRIDE === 0)
          nodes.push({ level: node.level, idx: node.index, hash: Buffer.from(node.hash) });
      });
      entries.push({
        idx,
        leafHash: p.leafHash,
        entry: p.text,
        event: p.entry.event,
        at: new Date(p.entry.at),
        partnerId: p.entry.partnerId ?? null,
        purpose: p.entry.purpose ?? null,
        signalId: p.entry.signalId ?? null,
        policyVersion: p.entry.policyVersion ?? null,
        reason: p.entry.reason ?? null,
        actor: p.entry.actor ?? null,
      });
      p.openings.forEach((o, position) => openings.push({ idx, position, token: o.token, salt: o.salt }));
    }
    faultPoint('audit.after-index-assignment');
    await manager.insert(AuditEntryEntity, entries);
    if (openings.length) await manager.insert(AuditSubjectOpeningEntity, openings);
    if (nodes.length) await manager.insert(AuditNodeEntity, nodes);
    await manager.update(AuditFrontierEntity, { id: 1 }, { frontier: frontier.toJSON() });
    return indexes;
  }

  /** Appends in a transaction of its own (refusals and admin actions: nothing else is stored). */
  async appendAlone(entry: AuditEntry): Promise<number> {
    try {
      const [idx] = await this.dataSource.transaction((manager) => this.appendWithin(manager, [entry]));
      return idx;
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

  /** The index and leaf hash of the entry that recorded a partner's signal being received. */
  async receivedEntry(
    partnerId: string,
    signalId: string,
  ): Promise<{ idx: number; leafHash: Buffer } | null> {
    return this.dataSource.getRepository(AuditEntryEntity).findOne({
      select: { idx: true, leafHash: true },
      where: { partnerId, signalId, event: 'signal.received' },
    });
  }

  /** The frontier as committed now. */
  async frontier(manager: EntityManager = this.dataSource.manager): Promise<MerkleFrontier> {
    const row = await manager.getRepository(AuditFrontierEntity).findOneByOrFail({ id: 1 });
    return MerkleFrontier.fromJSON(row.frontier);
  }

  /** Reads stored nodes (level 0 from the entries, every 8th level from audit_node) in the order asked. */
  nodeReader(manager: EntityManager = this.dataSource.manager) {
    return async (ids: readonly MerkleNodeId[]): Promise<Buffer[]> => {
      const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
      const inner = ids.filter((id) => id.level !== 0);
      const byKey = new Map<string, Buffer>();
      if (leaves.length) {
        const rows = await manager
          .getRepository(AuditEntryEntity)
          .find({ select: { idx: true, leafHash: true }, where: { idx: In(leaves) } });
        for (const r of rows) byKey.set(`0:${r.idx}`, r.leafHash);
      }
      for (const level of new Set(inner.map((id) => id.level))) {
        const idxs = inner.filter((id) => id.level === level).map((id) => id.index);
        const rows = await manager.getRepository(AuditNodeEntity).find({ where: { level, idx: In(idxs) } });
        for (const r of rows) byKey.set(`${level}:${r.idx}`, r.hash);
      }
      return ids.map((id) => {
        const hash = byKey.get(`${id.level}:${id.index}`);
        if (!hash)
          throw new GatewayError('AUDIT.NODE_MISSING', `audit node ${id.level}:${id.index} is missing`);
        return hash;
      });
    };
  }

  /** Entries in index order, in pages, for export and tests. */
  async *entries(
    from = 0,
    pageSize = 5000,
  ): AsyncGenerator<{ idx: number; leafHash: Buffer; entry: string; openings: AuditSubjectOpeningEntity[] }> {
    for (let next = from; ;) {
      const rows = await this.dataSource.getRepository(AuditEntryEntity).find({
        where: { idx: MoreThanOrEqual(next) },
        order: { idx: 'ASC' },
        take: pageSize,
      });
      if (rows.length === 0) return;
      const openings = new Map<number, AuditSubjectOpeningEntity[]>();
      const openingRows = await this.dataSource
        .getRepository(AuditSubjectOpeningEntity)
        .find({ where: { idx: In(rows.map((r) => r.idx)) }, order: { idx: 'ASC', position: 'ASC' } });
      for (const o of openingRows) openings.set(o.idx, [...(openings.get(o.idx) ?? []), o]);
      for (const row of rows) {
        yield {
          idx: row.idx,
          leafHash: row.leafHash,
          entry: row.entry,
          openings: openings.get(row.idx) ?? [],
        };
      }
      next = rows[rows.length - 1].idx + 1;
    }
  }
}
