import type { CountingRule } from '../../counting-rule.js';

/** Unique persons counted for one year under one counting rule. */
export class GetStatisticsResponseDto {
  year: number;
  rule: CountingRule;
  persons: number;
}
