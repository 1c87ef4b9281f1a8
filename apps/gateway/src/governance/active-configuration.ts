import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { PartnerDirectory } from '@ketenpoort/pki';
import type { Policy } from '@ketenpoort/policy';
import { GatewayError } from '../common/gateway-error.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { parsePartnersDocument, parsePolicyDocument, type ParsedPartners } from './governed-document.js';
import { GovernedVersionRepository } from './infrastructure/governed-version.repository.js';

/**
 * What this instance enforces: the active policy (and a shadow candidate) and the active partner table,
 * exactly as approved in the database — never the files. Reloaded on every change made through this
 * instance and every few seconds, so that several instances converge; each reports what it enforces.
 */
@Injectable()
export class ActiveConfiguration implements OnApplicationBootstrap, OnApplicationShutdown {
  private activePolicy: Policy | null = null;
  private shadowPolicy: Policy | null = null;
  private activePartners: ParsedPartners | null = null;
  private timer?: NodeJS.Timeout;
  private readonly listeners: Array<(partners: ParsedPartners) => void> = [];

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LOGGER) private readonly logger: LoggerService,
    private readonly versions: GovernedVersionRepository,
  ) {}

  /** The enforced policy; 503 while none is approved. */
  get policy(): Policy {
    if (!this.activePolicy)
      throw new GatewayError('POLICY.NONE_ACTIVE', 'no approved policy is active yet; retry later');
    return this.activePolicy;
  }

  get shadow(): Policy | null {
    return this.shadowPolicy;
  }

  get partners(): PartnerDirectory {
    if (!this.activePartners)
      throw new GatewayError('POLICY.NONE_ACTIVE', 'no approved partner table is active yet');
    return this.activePartners.directory;
  }

  get caBundle(): string[] {
    return this.activePartners?.caBundle ?? [];
  }

  versionsEnforced(): { policy: string | null; shadowPolicy: string | null; partners: string | null } {
    return {
      policy: this.activePolicy?.version ?? null,
      shadowPolicy: this.shadowPolicy?.version ?? null,
      partners: this.activePartners?.version ?? null,
    };
  }

  /** Called when the approved partner table changes (the partner listener renews its TLS context). */
  onPartnersChanged(listener: (partners: ParsedPartners) => void): void {
    this.listeners.push(listener);
  }

  async reload(): Promise<void> {
    const [policy, shadow, partners] = await Promise.all([
      this.versions.findByStatus('policy', 'active'),
      this.versions.findByStatus('policy', 'shadow'),
      this.versions.findByStatus('partners', 'active'),
    ]);
    if (policy?.version !== this.activePolicy?.version) {
      this.activePolicy = policy ? parsePolicyDocument(policy.content, `policy ${policy.version}`) : null;
      this.logger.log({ msg: 'policy enforced', version: this.activePolicy?.version ?? null }, 'Governance');
    }
    if (shadow?.version !== this.shadowPolicy?.version) {
      this.shadowPolicy = shadow ? parsePolicyDocument(shadow.content, `policy ${shadow.version}`) : null;
      this.logger.log({ msg: 'policy in shadow', version: this.shadowPolicy?.version ?? null }, 'Governance');
    }
    if (partners?.version !== this.activePartners?.version) {
      this.activePartners = partners
        ? parsePartnersDocument(partners.content, `partners ${partners.version}`)
        : null;
      this.logger.log(
        { msg: 'partner table enforced', version: this.activePartners?.version ?? null },
        'Governance',
      );
      if (this.activePartners) for (const listener of this.listeners) listener(this.activePartners);
    }
    const enforced = this.versionsEnforced();
    await this.versions.heartbeat(this.config.instanceId, enforced.policy, enforced.partners);
  }

  onApplicationBootstrap(): void {
    const every = this.config.governance.refreshIntervalMs;
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) =>
        this.logger.warn(
          { msg: 'configuration reload failed', errorCode: (error as { code?: string })?.code ?? null },
          'Governance',
        ),
      );
    }, every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
