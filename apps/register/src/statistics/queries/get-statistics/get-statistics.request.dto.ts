import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { BREAKDOWNS, type Breakdown } from '../../breakdown.js';
import { COUNTING_RULES, type CountingRule } from '../../counting-rule.js';

export const OUTPUT_FORMATS = ['json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export class GetStatisticsRequestDto {
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year: number;

  @IsIn(COUNTING_RULES)
  rule: CountingRule;

  @IsOptional()
  @IsIn(BREAKDOWNS)
  breakdown?: Breakdown;

  /** Overrides the Accept header. */
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;
}
