import { ApiProperty } from '@nestjs/swagger';
import { BREAKDOWNS } from '../../../breakdown.js';
import { COUNTING_RULES, type CountingRule } from '../../../counting-rule.js';
import type { CellRevision, SnapshotFigures } from '../../../year-figures.js';

const TOTALS: {
  type: 'object';
  properties: Record<string, { type: 'integer' }>;
  required: string[];
  example: object;
} = {
  type: 'object',
  properties: Object.fromEntries(COUNTING_RULES.map((rule) => [rule, { type: 'integer' }])),
  required: [...COUNTING_RULES],
  example: { register: 42, rapporteur: 40 },
};

/** The published figures of a year: totals per rule and every breakdown (never a suppressed count). */
export class SnapshotFiguresDto implements SnapshotFigures {
  @ApiProperty({ ...TOTALS, description: 'unique persons per counting rule' })
  totals: Record<CountingRule, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: `per breakdown (${BREAKDOWNS.join(', ')}) and rule: \`{ breakdown, cellsOverlap, withheld, cells: [{ category, persons | null }] }\``,
  })
  breakdowns: SnapshotFigures['breakdowns'];
}

/** One cell's movement against the snapshot; `delta` null when either side is suppressed. */
export class CellRevisionDto implements CellRevision {
  @ApiProperty({ enum: COUNTING_RULES, example: 'register' })
  rule: CountingRule;

  @ApiProperty({ enum: [...BREAKDOWNS, 'total'], example: 'total' })
  breakdown: CellRevision['breakdown'];

  @ApiProperty({ example: 'all' })
  category: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 42 })
  snapshot: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 44 })
  live: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 2 })
  delta: number | null;
}

class LiveTotalsDto {
  @ApiProperty({ ...TOTALS, description: 'unique persons per counting rule now' })
  totals: Record<CountingRule, number>;
}

/** The frozen figures of a year and how the live figures moved against them (suppressed alike). */
export class GetSnapshotResponseDto {
  @ApiProperty({ type: 'integer', example: 2024 })
  year: number;

  @ApiProperty({ format: 'date-time', example: '2025-02-01T09:00:00.000Z' })
  frozenAt: string;

  @ApiProperty({ description: 'the analyst (token subject) who froze it', example: 'analyst-1' })
  frozenBy: string;

  @ApiProperty({ type: 'integer', example: 5 })
  minCellSize: number;

  @ApiProperty({ type: () => SnapshotFiguresDto })
  figures: SnapshotFigures;

  @ApiProperty({ type: () => LiveTotalsDto })
  live: { totals: Record<CountingRule, number> };

  /** True when any published figure moved or can no longer be compared. */
  @ApiProperty({ description: 'any published figure moved or can no longer be compared', example: true })
  revised: boolean;

  @ApiProperty({ type: () => CellRevisionDto, isArray: true })
  revisions: CellRevision[];
}
