import { Controller, Get, Headers, Param, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerTokenGuard, RequireRole } from '../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { STEWARD_ROLE } from '../../access-log.js';
import { tokenSubject } from '../../token-subject.js';
import { GetRecordLinksQuery } from './get-record-links.query.js';
import { GetRecordLinksParamsDto } from './get-record-links.request.dto.js';
import type { GetRecordLinksResponseDto } from './get-record-links.response.dto.js';

/** `GET /v1/steward/records/:recordId/links` (register-steward only; audited). */
@Controller('v1/steward/records')
@OnListener('api')
@RequireRole(STEWARD_ROLE)
@UseGuards(ListenerGuard, BearerTokenGuard)
export class GetRecordLinksHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':recordId/links')
  get(
    @Param() params: GetRecordLinksParamsDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown },
  ): Promise<GetRecordLinksResponseDto> {
    response.setHeader('Cache-Control', 'no-store');
    return this.queryBus.execute(
      new GetRecordLinksQuery(params.recordId, tokenSubject(authorization), new Date()),
    );
  }
}
