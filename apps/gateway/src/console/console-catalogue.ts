import { Injectable } from '@nestjs/common';
import type { AdminActor } from '../admin/admin-actor.js';
import { ActiveConfiguration } from '../governance/active-configuration.js';
import { parsePartnersDocument } from '../governance/governed-document.js';
import { GovernedVersionRepository } from '../governance/infrastructure/governed-version.repository.js';

/** Choices for the console's filters: partners (within the officer's scope), purposes, policy versions. */
@Injectable()
export class ConsoleCatalogue {
  constructor(
    private readonly versions: GovernedVersionRepository,
    private readonly active: ActiveConfiguration,
  ) {}

  async partners(actor: AdminActor): Promise<{ id: string; name: string }[]> {
    const row = await this.versions.findByStatus('partners', 'active');
    if (!row) return [];
    return parsePartnersDocument(row.content, 'active')
      .file.partners.filter((p) => !actor.partnerScope || actor.partnerScope.includes(p.id))
      .map((p) => ({ id: p.id, name: p.name }));
  }

  purposes(): string[] {
    try {
      return this.active.policy.purposes.map((p) => p.id);
    } catch {
      return [];
    }
  }

  async policyVersions(): Promise<{ version: string; status: string }[]> {
    return (await this.versions.list('policy')).map((r) => ({ version: r.version, status: r.status }));
  }
}
