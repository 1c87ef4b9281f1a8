import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BearerTokenGuard, RequireRole } from '../../../auth/bearer-token.guard.js';
import { ListenerGuard, OnListener } from '../../../common/listener.js';
import { figureRows, FIGURES_CSV_HEADER, toCsv } from '../../statistics-csv.js';
import { GetStatisticsQuery } from './get-statistics.query.js';
import { GetStatisticsRequestDto, type OutputFormat } from './get-statistics.request.dto.js';
import type { GetStatisticsResponseDto } from './get-statistics.response.dto.js';

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
export class GetStatisticsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
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
