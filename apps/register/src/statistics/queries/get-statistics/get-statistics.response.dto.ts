import type { Breakdown } from '../../breakdown.js';
import type { CountingRule } from '../../counting-rule.js';
import type { PublishedCell } from '../../year-figures.js';

/**
 * Unique persons counted for one year under one counting rule; with a breakdown also its cells (`persons`
 * null = suppressed). Never names a person or a record.
 */
export class GetStatisticsResponseDto {
  year: number;
  rule: CountingRule;
  persons: number;
  breakdown?: Breakdown;
  /** Cells below this many persons are suppressed (with complementary cells). */
  minCellSize?: number;
  /** A person can fall in several cells: the cells then add up to more than `persons`. */
  cellsOverlap?: boolean;
  /** Too few persons for a safe table: no cell is published. */
  withheld?: boolean;
  note?: string;
  cells?: PublishedCell[];
}
