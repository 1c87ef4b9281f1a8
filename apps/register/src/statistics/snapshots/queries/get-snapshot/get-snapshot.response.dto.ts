import type { CountingRule } from '../../../counting-rule.js';
import type { CellRevision, SnapshotFigures } from '../../../year-figures.js';

/** The frozen figures of a year and how the live figures moved against them (suppressed alike). */
export class GetSnapshotResponseDto {
  year: number;
  frozenAt: string;
  frozenBy: string;
  minCellSize: number;
  figures: SnapshotFigures;
  live: { totals: Record<CountingRule, number> };
  /** True when any published figure moved or can no longer be compared. */
  revised: boolean;
  revisions: CellRevision[];
}
