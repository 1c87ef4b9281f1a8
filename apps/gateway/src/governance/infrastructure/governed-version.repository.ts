import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditEntry } from '@ketenpoort/audit';
import { GatewayInstanceEntity, GovernedVersionEntity } from '@ketenpoort/persistence';
import { AuditLog } from '../../audit/infrastructure/audit-log.repository.js';
import type { GovernedKind, GovernedStatus } from '../governed-kind.js';

export type GovernedVersion = GovernedVersionEntity;

/** Stores governed versions; every change of status commits with its audit entry. */
@Injectable()
export class GovernedVersionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
  ) {}

  find(kind: GovernedKind, version: string): Promise<GovernedVersion | null> {
    return this.dataSource.getRepository(GovernedVersionEntity).findOneBy({ kind, version });
  }

  findByStatus(kind: GovernedKind, status: GovernedStatus): Promise<GovernedVersion | null> {
    return this.dataSource.getRepository(GovernedVersionEntity).findOneBy({ kind, status });
  }

  list(kind: GovernedKind): Promise<GovernedVersion[]> {
    return this.dataSource
      .getRepository(GovernedVersionEntity)
      .find({ where: { kind }, order: { proposedAt: 'DESC' } });
  }

  /** Adds a draft unless that version exists; returns whether it was new. */
  async propose(
    row: Pick<GovernedVersion, 'kind' | 'version' | 'content' | 'proposedBy'>,
    audit: AuditEntry,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockKind(manager, row.kind);
      const existing = await manager
        .getRepository(GovernedVersionEntity)
        .findOneBy({ kind: row.kind, version: row.version });
      if (existing) return false;
      await manager.insert(GovernedVersionEntity, { ...row, status: 'draft', proposedAt: new Date() });
      await this.auditLog.appendWithin(manager, [audit]);
      return true;
    });
  }

  /**
   * Moves a version to a new status in one transaction with its audit entry. Activating retires the
   * active version; shadowing returns an earlier shadow to draft.
   */
  async transition(
    kind: GovernedKind,
    version: string,
    to: GovernedStatus,
    changes: Partial<GovernedVersion>,
    audit: AuditEntry,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockKind(manager, kind);
      if (to === 'active') {
        await manager.update(GovernedVersionEntity, { kind, status: 'active' }, { status: 'retired' });
      }
      if (to === 'shadow' || to === 'active') {
        await manager.update(GovernedVersionEntity, { kind, status: 'shadow' }, { status: 'draft' });
      }
      await manager.update(GovernedVersionEntity, { kind, version }, { ...changes, status: to });
      await this.auditLog.appendWithin(manager, [audit]);
    });
  }

  /** Activates a version without a human approval: only the embedded dev mode's first start does this. */
  async bootstrap(
    row: Pick<GovernedVersion, 'kind' | 'version' | 'content'>,
    audit: AuditEntry,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockKind(manager, row.kind);
      const active = await manager
        .getRepository(GovernedVersionEntity)
        .findOneBy({ kind: row.kind, status: 'active' });
      if (active) return false;
      const now = new Date();
      await manager.delete(GovernedVersionEntity, { kind: row.kind, version: row.version });
      await manager.insert(GovernedVersionEntity, {
        ...row,
        status: 'active',
        proposedBy: 'bootstrap',
        proposedAt: now,
        approvedBy: 'bootstrap (embedded dev mode)',
        approvedAt: now,
        activatedAt: now,
        decidedBy: 'bootstrap',
      });
      await this.auditLog.appendWithin(manager, [audit]);
      return true;
    });
  }

  async heartbeat(
    instanceId: string,
    policyVersion: string | null,
    partnersVersion: string | null,
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(GatewayInstanceEntity)
      .values({ instanceId, policyVersion, partnersVersion, seenAt: new Date() })
      .orUpdate(['policy_version', 'partners_version', 'seen_at'], ['instance_id'])
      .execute();
  }

  instances(): Promise<GatewayInstanceEntity[]> {
    return this.dataSource.getRepository(GatewayInstanceEntity).find({ order: { seenAt: 'DESC' } });
  }

  private async lockKind(manager: EntityManager, kind: GovernedKind): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`governed:${kind}`]);
  }
}
