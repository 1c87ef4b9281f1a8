import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { STATISTICS_READ_MODEL, type StatisticsReadModel } from '../../statistics.read-model.js';
import { GetStatisticsQuery } from './get-statistics.query.js';
import type { GetStatisticsResponseDto } from './get-statistics.response.dto.js';

@QueryHandler(GetStatisticsQuery)
export class GetStatisticsHandler implements IQueryHandler<GetStatisticsQuery, GetStatisticsResponseDto> {
  constructor(@Inject(STATISTICS_READ_MODEL) private readonly readModel: StatisticsReadModel) {}

  async execute(query: GetStatisticsQuery): Promise<GetStatisticsResponseDto> {
    const persons = await this.readModel.countPersons(query.year, query.rule);
    return { year: query.year, rule: query.rule, persons };
  }
}
