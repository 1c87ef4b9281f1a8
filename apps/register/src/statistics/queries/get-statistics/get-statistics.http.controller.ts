import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { BearerTokenGuard, RequireRole } from '../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { ApiErrors, BEARER_ERRORS } from '../../../openapi/api-errors.decorator.js';
import { figureRows, FIGURES_CSV_HEADER, toCsv } from '../../statistics-csv.js';
import { GetStatisticsQuery } from './get-statistics.query.js';
import { GetStatisticsRequestDto, type OutputFormat } from './get-statistics.request.dto.js';
import { GetStatisticsResponseDto } from './get-statistics.response.dto.js';

interface CsvResponse {
  type(contentType: string): unknown;
  setHeader(name: string, value: string): unknown;
}

/** CSV when `format=csv`, or without `format` when the Accept header asks for text/csv. */
export function wantsCsv(format: OutputFormat | undefined, accept: string | undefined): boolean {
  return format ? format === 'csv' : /(^|,)\s*text\/csv\b/i.test(accept ?? '');
}

/**
 * `GET /v1/statistics?year=2020&rule=register|rapporteur[&breakdown=nationality][&format=csv]` on the API
 * listener, for analysts.
 */
@Controller('v1/statistics')
@OnListener('api')
@RequireRole('analyst')
@UseGuards(ListenerGuard, BearerTokenGuard)
@ApiTags('statistics')
@ApiBearerAuth('bearer')
@ApiExtraModels(GetStatisticsResponseDto)
export class GetStatisticsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'unique persons of a year under a counting rule, optionally broken down (role analyst)',
  })
  @ApiOkResponse({
    description: 'JSON, or CSV with `format=csv` or `Accept: text/csv`; small cells suppressed',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(GetStatisticsResponseDto) } },
      'text/csv': {
        schema: { type: 'string' },
        example:
          'year,rule,breakdown,category,persons,status,cells_overlap\r\n2024,register,total,all,42,published,false\r\n',
      },
    },
  })
  @ApiErrors({
    ...BEARER_ERRORS,
    400: '`REQUEST.INVALID`: year, rule, breakdown or format missing or malformed (`fields`)',
  })
  async get(
    @Query() request: GetStatisticsRequestDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: CsvResponse,
  ): Promise<GetStatisticsResponseDto | string> {
    const answer = await this.queryBus.execute(
      new GetStatisticsQuery(request.year, request.rule, request.breakdown ?? null),
    );
    response.setHeader('Cache-Control', 'no-store');
    if (!wantsCsv(request.format, accept)) return answer;
    response.type('text/csv; charset=utf-8');
    const table = answer.breakdown
      ? [
          {
            breakdown: answer.breakdown,
            cellsOverlap: answer.cellsOverlap ?? false,
            withheld: answer.withheld ?? false,
            cells: answer.cells ?? [],
          },
        ]
      : [];
    return toCsv([FIGURES_CSV_HEADER, ...figureRows(answer.year, answer.rule, answer.persons, table)]);
  }
}
