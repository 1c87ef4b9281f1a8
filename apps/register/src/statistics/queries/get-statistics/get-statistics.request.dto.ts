import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { COUNTING_RULES, type CountingRule } from '../../counting-rule.js';

export class GetStatisticsRequestDto {
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year: number;

  @IsIn(COUNTING_RULES)
  rule: CountingRule;
}
