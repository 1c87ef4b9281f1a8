import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { BREAKDOWNS, type Breakdown } from '../../breakdown.js';
import { COUNTING_RULES, type CountingRule } from '../../counting-rule.js';

export const OUTPUT_FORMATS = ['json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export class GetStatisticsRequestDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1900,
    maximum: 2200,
    description: 'the report year',
    example: 2024,
  })
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2200)
  year: number;

  @ApiProperty({
    enum: COUNTING_RULES,
    description: "the register's counting rule, or the National Rapporteur's",
    example: 'register',
  })
  @IsIn(COUNTING_RULES)
  rule: CountingRule;

  @ApiPropertyOptional({
    enum: BREAKDOWNS,
    description: 'also break the persons down by this',
    example: 'sex',
  })
  @IsOptional()
  @IsIn(BREAKDOWNS)
  breakdown?: Breakdown;

  /** Overrides the Accept header. */
  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, description: 'overrides the Accept header', example: 'json' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  format?: OutputFormat;
}
