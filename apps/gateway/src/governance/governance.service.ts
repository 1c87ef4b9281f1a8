import { Inject, Injectable } from '@nestjs/common';
import type { AuditEntry } from '@ketenpoort/audit';
import type { AdminActor } from '../admin/admin-actor.js';
import { GatewayError } from '../common/gateway-error.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { ActiveConfiguration } from './active-configuration.js';
import { parsePartnersDocument, versionOf } from './governed-document.js';
import type { GovernedKind } from './governed-kind.js';
import {
  GovernedVersionRepository,
  type GovernedVersion,
} from './infrastructure/governed-version.repository.js';

export type Decision = 'approve' | 'reject' | 'shadow';

/**
 * The lifecycle of governed versions: draft → shadow → active → retired (or rejected). An integrator
 * proposes; only a privacy officer who is not the author activates (four eyes); a rollback is the
 * activation of an old version, approved again. Every step is audited with who, what and which version.
 */
@Injectable()
export class GovernanceService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly versions: GovernedVersionRepository,
    private readonly active: ActiveConfiguration,
  ) {}

  /** Files are proposals: the dev mode's first start activates them; otherwise a changed file becomes a draft. */
  async registerFiles(): Promise<void> {
    const sources: Array<{ kind: GovernedKind; content: string; path: string }> = [
      { kind: 'policy', content: this.config.policySource.content, path: this.config.policySource.path },
      {
        kind: 'partners',
        content: this.config.partnersSource.content,
        path: this.config.partnersSource.path,
      },
    ];
    for (const source of sources) {
      const version = versionOf(source.kind, source.content, source.path);
      const audit = (event: AuditEntry['event'], actor: string): AuditEntry => ({
        event,
        at: new Date().toISOString(),
        correlationId: 'startup',
        actor,
        ...(source.kind === 'policy' ? { policyVersion: version } : { partnersVersion: version }),
        reason: `${source.kind} file ${source.path}`,
      });
      if (this.config.mode === 'dev') {
        const bootstrapped = await this.versions.bootstrap(
          { kind: source.kind, version, content: source.content },
          audit('governance.bootstrapped', 'bootstrap'),
        );
        if (bootstrapped) continue;
      }
      await this.versions.propose(
        { kind: source.kind, version, content: source.content, proposedBy: `file:${source.path}` },
        audit('governance.proposed', `file:${source.path}`),
      );
    }
    await this.active.reload();
  }

  async propose(
    kind: GovernedKind,
    content: string,
    actor: AdminActor,
  ): Promise<{ version: string; created: boolean }> {
    const version = versionOf(kind, content, `proposal by ${actor.sub}`);
    if (kind === 'partners') this.assertScopeCovers(actor, await this.changedPartners(content));
    const created = await this.versions.propose(
      { kind, version, content, proposedBy: actor.sub },
      this.audit('governance.proposed', kind, version, actor),
    );
    return { version, created };
  }

  async decide(
    kind: GovernedKind,
    version: string,
    decision: Decision,
    actor: AdminActor,
    note?: string,
  ): Promise<GovernedVersion> {
    const row = await this.versions.find(kind, version);
    if (!row) throw new GatewayError('GOVERNANCE.NOT_FOUND', `no ${kind} version ${version}`);
    if (decision === 'approve') {
      if (!actor.roles.includes('privacy-officer')) {
        throw new GatewayError('AUTH.ROLE_MISSING', 'only a privacy officer approves');
      }
      if (row.proposedBy === actor.sub) {
        throw new GatewayError('GOVERNANCE.FOUR_EYES', 'the author of a version cannot approve it');
      }
      if (row.status === 'active' || row.status === 'rejected') {
        throw new GatewayError(
          'GOVERNANCE.INVALID_TRANSITION',
          `a ${row.status} version cannot be activated`,
        );
      }
      if (kind === 'policy' && actor.partnerScope) {
        throw new GatewayError(
          'AUTH.SCOPE',
          'a policy concerns every partner: a partner-scoped officer cannot approve it',
        );
      }
      if (kind === 'partners') this.assertScopeCovers(actor, await this.changedPartners(row.content));
      const now = new Date();
      await this.versions.transition(
        kind,
        version,
        'active',
        {
          approvedBy: actor.sub,
          approvedAt: now,
          activatedAt: now,
          decidedBy: actor.sub,
          note: note ?? null,
        },
        this.audit('governance.activated', kind, version, actor, row.proposedBy),
      );
    } else if (decision === 'reject') {
      if (!actor.roles.includes('privacy-officer'))
        throw new GatewayError('AUTH.ROLE_MISSING', 'only a privacy officer rejects');
      if (row.status === 'active')
        throw new GatewayError('GOVERNANCE.INVALID_TRANSITION', 'the active version cannot be rejected');
      await this.versions.transition(
        kind,
        version,
        'rejected',
        { decidedBy: actor.sub, note: note ?? null },
        this.audit('governance.rejected', kind, version, actor),
      );
    } else {
      if (kind !== 'policy')
        throw new GatewayError('GOVERNANCE.INVALID_TRANSITION', 'only policies run in shadow');
      if (row.status !== 'draft' && row.status !== 'retired') {
        throw new GatewayError(
          'GOVERNANCE.INVALID_TRANSITION',
          `a ${row.status} version cannot go into shadow`,
        );
      }
      await this.versions.transition(
        kind,
        version,
        'shadow',
        { decidedBy: actor.sub },
        this.audit('governance.shadowed', kind, version, actor),
      );
    }
    await this.active.reload();
    return (await this.versions.find(kind, version))!;
  }

  /** Partner ids whose entry a proposed table adds, removes or changes against the active one. */
  private async changedPartners(content: string): Promise<string[]> {
    const proposed = parsePartnersDocument(content, 'proposal').file.partners;
    const current = await this.versions.findByStatus('partners', 'active');
    const before = current ? parsePartnersDocument(current.content, 'active').file.partners : [];
    const key = (p: unknown) => JSON.stringify(p);
    const ids = new Set([...proposed, ...before].map((p) => p.id));
    return [...ids].filter((id) => {
      const a = before.find((p) => p.id === id);
      const b = proposed.find((p) => p.id === id);
      return !a || !b || key(a) !== key(b);
    });
  }

  private assertScopeCovers(actor: AdminActor, partnerIds: string[]): void {
    if (!actor.partnerScope) return;
    const outside = partnerIds.filter((id) => !actor.partnerScope!.includes(id));
    if (outside.length)
      throw new GatewayError('AUTH.SCOPE', 'this change concerns partners outside your scope');
  }

  private audit(
    event: AuditEntry['event'],
    kind: GovernedKind,
    version: string,
    actor: AdminActor,
    author?: string,
  ): AuditEntry {
    return {
      event,
      at: new Date().toISOString(),
      correlationId: 'admin',
      actor: actor.sub,
      ...(kind === 'policy' ? { policyVersion: version } : { partnersVersion: version }),
      ...(author ? { reason: `proposed by ${author}` } : {}),
    };
  }
}
