import { Controller, Get, Headers, Param, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerTokenGuard, RequireRole } from '../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { ApiErrors, BEARER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { STEWARD_ROLE } from '../../access-log.js';
import { tokenSubject } from '../../token-subject.js';
import { GetRecordLinksQuery } from './get-record-links.query.js';
import { GetRecordLinksParamsDto } from './get-record-links.request.dto.js';
import { GetRecordLinksResponseDto } from './get-record-links.response.dto.js';

/** `GET /v1/steward/records/:recordId/links` (register-steward only; audited). */
@Controller('v1/steward/records')
@OnListener('api')
@RequireRole(STEWARD_ROLE)
@UseGuards(ListenerGuard, BearerTokenGuard)
@ApiTags('steward')
@ApiBearerAuth('bearer')
export class GetRecordLinksHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @ApiOperation({
    summary: "a record's person and why each of its links was made (role register-steward; audited)",
  })
  @ApiOkResponse({ type: GetRecordLinksResponseDto })
  @ApiErrors({
    ...BEARER_ERRORS,
    400: '`REQUEST.INVALID`: not a UUID',
    404: '`NOT_FOUND`: no such record',
  })
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
