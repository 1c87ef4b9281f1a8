import { Query } from '@nestjs/cqrs';
import type { Breakdown } from '../../breakdown.js';
import type { CountingRule } from '../../counting-rule.js';
import type { GetStatisticsResponseDto } from './get-statistics.response.dto.js';

export class GetStatisticsQuery extends Query<GetStatisticsResponseDto> {
  constructor(
    readonly year: number,
    readonly rule: CountingRule,
    readonly breakdown: Breakdown | null = null,
  ) {
    super();
    Object.freeze(this);
  }
}
