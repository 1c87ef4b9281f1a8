import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { GatewayError } from '../../../common/gateway-error.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { OnListener } from '../../../common/listener.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { ApiErrors, PARTNER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { GetSignalStatusQuery } from './get-signal-status.query.js';
import { SignalStatusResponseDto } from './signal-status.response.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
@ApiTags('signals')
export class GetSignalStatusHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':signalId')
  @ApiOperation({ summary: "a signal's delivery status (the partner's own signals only)" })
  @ApiParam({ name: 'signalId', format: 'uuid', example: '3f0c8a2e-5b1d-4c6e-9a7f-0d2b4e6f8a10' })
  @ApiOkResponse({ type: SignalStatusResponseDto })
  @ApiErrors({
    ...PARTNER_ERRORS,
    400: '`SIGNAL.INVALID`: signalId is not a UUID',
    404: "`SIGNAL.NOT_FOUND`: no signal with this id from this partner (another partner's signal included)",
  })
  async status(
    @CurrentPartner() partner: AuthenticatedPartner,
    @Param('signalId') signalId: string,
  ): Promise<SignalStatusResponseDto> {
    if (!UUID.test(signalId)) {
      throw new GatewayError('SIGNAL.INVALID', 'signalId must be a UUID', [
        { path: 'signalId', reasons: ['must be a UUID'] },
      ]);
    }
    return this.queryBus.execute(new GetSignalStatusQuery(partner.partner.id, signalId.toLowerCase()));
  }
}
