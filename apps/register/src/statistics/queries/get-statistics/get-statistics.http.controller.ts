import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerTokenGuard, RequireRole } from '../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { GetStatisticsQuery } from './get-statistics.query.js';
import { GetStatisticsRequestDto } from './get-statistics.request.dto.js';
import type { GetStatisticsResponseDto } from './get-statistics.response.dto.js';

/** `GET /v1/statistics?year=2020&rule=register|rapporteur` on the API listener, for analysts. */
@Controller('v1/statistics')
@OnListener('api')
@RequireRole('analyst')
@UseGuards(ListenerGuard, BearerTokenGuard)
export class GetStatisticsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  get(@Query() request: GetStatisticsRequestDto): Promise<GetStatisticsResponseDto> {
    return this.queryBus.execute(new GetStatisticsQuery(request.year, request.rule));
  }
}
