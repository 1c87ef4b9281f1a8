import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeyRing, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import { explain, type Policy } from '@ketenpoort/policy';
import { validateSignal } from '@ketenpoort/signal-contract';
import type { AdminActor } from '../../../admin/admin-actor.js';
import { AuditLog } from '../../../audit/infrastructure/audit-log.repository.js';
import { AdminAuthGuard, CurrentAdmin, Roles } from '../../../admin/admin-auth.guard.js';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import { RequestValidationPipe } from '../../../common/request-validation.pipe.js';
import { ActiveConfiguration } from '../../../governance/active-configuration.js';
import { parsePolicyDocument } from '../../../governance/governed-document.js';
import { GovernedVersionRepository } from '../../../governance/infrastructure/governed-version.repository.js';
import { ADMIN_ERRORS, ApiErrors } from '../../../openapi/api-errors.decorator.js';
import { ExplainSignalRequestDto } from './explain-signal.request.dto.js';
import { ExplainSignalResponseDto } from './explain-signal.response.dto.js';

/**
 * Dry run: what a policy version would do with a sample signal. Tokens are computed under a dry-run key
 * ring made at start and never stored — never the production key — so that an integrator cannot test
 * guessed identities against register tokens. Nothing is stored or forwarded; the sample is not logged.
 */
@Controller('v1/policies')
@OnListener('admin')
@UseGuards(AdminAuthGuard)
@ApiTags('admin: policies')
@ApiBearerAuth('bearer')
export class ExplainSignalHttpController {
  private readonly dryRun = new Pseudonymiser(KeyRing.fromData(KeyRing.generateData()), 'dry-run');

  constructor(
    private readonly active: ActiveConfiguration,
    private readonly versions: GovernedVersionRepository,
    private readonly auditLog: AuditLog,
  ) {}

  @Post('explain')
  @HttpCode(200)
  @Roles('integrator', 'privacy-officer')
  @ApiOperation({
    summary:
      'dry run: what a policy version would do with a sample signal (roles integrator, privacy-officer)',
  })
  @ApiOkResponse({ type: ExplainSignalResponseDto })
  @ApiErrors({
    ...ADMIN_ERRORS,
    400: '`EXPLAIN.INVALID`: no such partner; `SIGNAL.INVALID`: the sample is not a valid signal v1; `REQUEST.INVALID`: the body does not match (`details` name the fields)',
    404: '`GOVERNANCE.NOT_FOUND`: no such policy version',
  })
  async explain(
    @Body(new RequestValidationPipe()) body: ExplainSignalRequestDto,
    @CurrentAdmin() actor: AdminActor,
  ) {
    const partner = this.active.partners.byId(body.partnerId);
    if (!partner) throw new GatewayError('EXPLAIN.INVALID', 'no such partner');
    const validation = validateSignal(body.signal);
    if (!validation.ok)
      throw new GatewayError('SIGNAL.INVALID', 'the sample is not a valid signal v1', validation.errors);
    const policy = await this.policyFor(body.version);
    // Every admin action is audited: who explained under which version — never the sample itself.
    await this.auditLog.appendAlone({
      event: 'policy.explained',
      at: new Date().toISOString(),
      correlationId: 'admin',
      actor: actor.sub,
      partnerId: partner.id,
      policyVersion: policy.version,
    });
    const explanation = explain(policy, validation.signal, {
      reporterType: partner.reporterType,
      tokens: this.dryRun,
      reporter: { organisation: partner.id },
    });
    const { evaluation: _evaluation, ...shown } = explanation;
    return { keyDomain: 'dry-run', ...shown };
  }

  private async policyFor(version?: string): Promise<Policy> {
    if (!version || version === this.active.versionsEnforced().policy) return this.active.policy;
    const row = await this.versions.find('policy', version);
    if (!row) throw new GatewayError('GOVERNANCE.NOT_FOUND', 'no such policy version');
    return parsePolicyDocument(row.content, `policy ${version}`);
  }
}
