import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { SIGNAL_FIELDS } from '@ketenpoort/signal-contract';
import { NOT_PERMITTED } from '@ketenpoort/policy';
import { GatewayError } from '../../../common/gateway-error.js';
import { OnListener } from '../../../common/listener.js';
import { ActiveConfiguration } from '../../../governance/active-configuration.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { ApiErrors, PARTNER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { PartnerPolicyResponseDto } from './partner-policy.response.dto.js';

/**
 * Transparency for partners: before sending, a partner sees what the active policy releases of its
 * signals under a purpose, and on which ground — for its own reporter type.
 */
@Controller('v1/policy')
@OnListener('partner')
@UseGuards(PartnerGuard)
@ApiTags('policy')
export class GetPartnerPolicyHttpController {
  constructor(private readonly active: ActiveConfiguration) {}

  @Get()
  @ApiOperation({
    summary: "what the active policy releases of this partner's signals, per purpose, and on which ground",
  })
  @ApiQuery({ name: 'purpose', required: false, description: 'only this purpose', example: 'registration' })
  @ApiOkResponse({ type: PartnerPolicyResponseDto })
  @ApiErrors({
    ...PARTNER_ERRORS,
    403: '`PARTNER.UNKNOWN`; `POLICY.PURPOSE_NOT_ALLOWED`: this partner may not use that purpose',
  })
  describe(
    @CurrentPartner() { partner }: AuthenticatedPartner,
    @Query('purpose') purposeId?: string,
  ): PartnerPolicyResponseDto {
    const policy = this.active.policy;
    const purposes = policy.purposes.filter(
      (p) => partner.purposes.includes(p.id) && (!purposeId || p.id === purposeId),
    );
    if (purposeId && purposes.length === 0) {
      throw new GatewayError('POLICY.PURPOSE_NOT_ALLOWED', 'this partner may not use that purpose');
    }
    return {
      policyVersion: policy.version,
      reporterType: partner.reporterType,
      purposes: purposes.map((purpose) => {
        const ground = purpose.grounds[partner.reporterType];
        const released = Object.entries(purpose.fields).filter(([, outputs]) =>
          (outputs ?? []).some((output) => output.action !== 'drop'),
        );
        const releasedFields = released.map(([field]) => field);
        return {
          id: purpose.id,
          description: purpose.description,
          dossierType: purpose.dossierType,
          retention: purpose.retention,
          permitted: ground !== NOT_PERMITTED,
          ...(ground !== NOT_PERMITTED ? { legalGround: ground.legalGround, consent: ground.consent } : {}),
          fields: released.map(([field, outputs]) => ({ field, outputs })),
          dropped: SIGNAL_FIELDS.filter((field) => !releasedFields.includes(field)),
        };
      }),
    };
  }
}
