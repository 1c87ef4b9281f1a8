import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GatewayError } from '../../../common/gateway-error.js';
import type { AuthenticatedPartner } from '../../../partners/authenticated-partner.js';
import { OnListener } from '../../../common/listener.js';
import { CurrentPartner, PartnerGuard } from '../../../partners/partner.guard.js';
import { GetSignalStatusQuery } from './get-signal-status.query.js';
import type { SignalStatusResponseDto } from './signal-status.response.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Controller('v1/signals')
@OnListener('partner')
@UseGuards(PartnerGuard)
export class GetSignalStatusHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':signalId')
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
