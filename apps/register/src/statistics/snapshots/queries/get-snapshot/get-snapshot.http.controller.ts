import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { BearerTokenGuard, RequireRole } from '../../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../../common/listener.js';
import { ApiErrors, BEARER_ERRORS } from '../../../../openapi/api-errors.decorator.js';
import { wantsCsv } from '../../../queries/get-statistics/get-statistics.http.controller.js';
import { snapshotCsv } from '../../../statistics-csv.js';
import { GetSnapshotQuery } from './get-snapshot.query.js';
import { GetSnapshotParamsDto, GetSnapshotRequestDto } from './get-snapshot.request.dto.js';
import { GetSnapshotResponseDto } from './get-snapshot.response.dto.js';

interface CsvResponse {
  type(contentType: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/** `GET /v1/statistics/snapshots/:year[?format=csv]` (analyst): the frozen figures and their revisions. */
@Controller('v1/statistics/snapshots')
@OnListener('api')
@RequireRole('analyst')
@UseGuards(ListenerGuard, BearerTokenGuard)
@ApiTags('statistics')
@ApiBearerAuth('bearer')
@ApiExtraModels(GetSnapshotResponseDto)
export class GetSnapshotHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':year')
  @ApiOperation({
    summary: "a year's frozen figures and how the live figures moved against them (role analyst)",
  })
  @ApiOkResponse({
    description: 'JSON, or CSV with `format=csv` or `Accept: text/csv`',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(GetSnapshotResponseDto) } },
      'text/csv': {
        schema: { type: 'string' },
        example:
          'section,year,rule,breakdown,category,persons,status,cells_overlap,live,delta\r\nsnapshot,2024,register,total,all,42,published,false,,\r\n',
      },
    },
  })
  @ApiErrors({
    ...BEARER_ERRORS,
    400: '`REQUEST.INVALID`: year or format malformed (`fields`)',
    404: '`NOT_FOUND`: no snapshot of that year',
  })
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
