import { Controller, Get, Headers, Param, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BearerTokenGuard, RequireRole } from '../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { ApiErrors, BEARER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { STEWARD_ROLE } from '../../access-log.js';
import { tokenSubject } from '../../token-subject.js';
import { GetPersonQuery } from './get-person.query.js';
import { GetPersonParamsDto } from './get-person.request.dto.js';
import { GetPersonResponseDto } from './get-person.response.dto.js';

/** `GET /v1/steward/persons/:personId` (register-steward only; audited). */
@Controller('v1/steward/persons')
@OnListener('api')
@RequireRole(STEWARD_ROLE)
@UseGuards(ListenerGuard, BearerTokenGuard)
@ApiTags('steward')
@ApiBearerAuth('bearer')
export class GetPersonHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @ApiOperation({
    summary:
      'a person and their records: ids, reporter types, purposes, years and token kinds (role register-steward; audited)',
  })
  @ApiOkResponse({ type: GetPersonResponseDto })
  @ApiErrors({
    ...BEARER_ERRORS,
    400: '`REQUEST.INVALID`: not a UUID',
    404: '`NOT_FOUND`: no such person',
  })
  @Get(':personId')
  get(
    @Param() params: GetPersonParamsDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: { setHeader(name: string, value: string): unknown },
  ): Promise<GetPersonResponseDto> {
    response.setHeader('Cache-Control', 'no-store');
    return this.queryBus.execute(
      new GetPersonQuery(params.personId, tokenSubject(authorization), new Date()),
    );
  }
}
