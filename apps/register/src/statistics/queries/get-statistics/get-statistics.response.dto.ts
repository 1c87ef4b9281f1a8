import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BREAKDOWNS, type Breakdown } from '../../breakdown.js';
import { COUNTING_RULES, type CountingRule } from '../../counting-rule.js';
import type { PublishedCell } from '../../year-figures.js';

/** One cell of a breakdown; `persons` null when suppressed. */
export class PublishedCellDto implements PublishedCell {
  @ApiProperty({ example: 'female' })
  category: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'null: suppressed (too few persons)',
    example: 17,
  })
  persons: number | null;
}

/**
 * Unique persons counted for one year under one counting rule; with a breakdown also its cells (`persons`
 * null = suppressed). Never names a person or a record.
 */
export class GetStatisticsResponseDto {
  @ApiProperty({ type: 'integer', example: 2024 })
  year: number;

  @ApiProperty({ enum: COUNTING_RULES, example: 'register' })
  rule: CountingRule;

  @ApiProperty({ type: 'integer', description: 'unique persons counted', example: 42 })
  persons: number;

  @ApiPropertyOptional({ enum: BREAKDOWNS, example: 'sex' })
  breakdown?: Breakdown;

  /** Cells below this many persons are suppressed (with complementary cells). */
  @ApiPropertyOptional({
    type: 'integer',
    description: 'cells below this many persons are suppressed (with complementary cells)',
    example: 5,
  })
  minCellSize?: number;

  /** A person can fall in several cells: the cells then add up to more than `persons`. */
  @ApiPropertyOptional({
    description: 'a person can fall in several cells: they add up to more',
    example: false,
  })
  cellsOverlap?: boolean;

  /** Too few persons for a safe table: no cell is published. */
  @ApiPropertyOptional({
    description: 'too few persons for a safe table: no cell is published',
    example: false,
  })
  withheld?: boolean;

  @ApiPropertyOptional({ description: 'how to read the cells' })
  note?: string;

  @ApiPropertyOptional({ type: () => PublishedCellDto, isArray: true })
  cells?: PublishedCell[];
}
