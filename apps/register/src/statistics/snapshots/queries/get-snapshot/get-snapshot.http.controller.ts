import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerTokenGuard, RequireRole } from '../../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../../common/listener.js';
import { wantsCsv } from '../../../queries/get-statistics/get-statistics.http.controller.js';
import { snapshotCsv } from '../../../statistics-csv.js';
import { GetSnapshotQuery } from './get-snapshot.query.js';
import { GetSnapshotParamsDto, GetSnapshotRequestDto } from './get-snapshot.request.dto.js';
import type { GetSnapshotResponseDto } from './get-snapshot.response.dto.js';

interface CsvResponse {
  type(contentType: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/** `GET /v1/statistics/snapshots/:year[?format=csv]` (analyst): the frozen figures and their revisions. */
@Controller('v1/statistics/snapshots')
@OnListener('api')
@RequireRole('analyst')
@UseGuards(ListenerGuard, BearerTokenGuard)
export class GetSnapshotHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':year')
  async get(
    @Param() params: GetSnapshotParamsDto,
    @Query() request: GetSnapshotRequestDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: CsvResponse,
  ): Promise<GetSnapshotResponseDto | string> {
    const answer = await this.queryBus.execute(new GetSnapshotQuery(params.year));
    response.setHeader('Cache-Control', 'no-store');
    if (!wantsCsv(request.format, accept)) return answer;
    response.type('text/csv; charset=utf-8');
    return snapshotCsv(answer.year, answer.figures, answer.revisions);
  }
}
