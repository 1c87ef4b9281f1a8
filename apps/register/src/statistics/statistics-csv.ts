import type { Breakdown } from './breakdown.js';
import type { CountingRule } from './counting-rule.js';
import type { CellRevision, PublishedBreakdown, SnapshotFigures } from './year-figures.js';

/** RFC 4180 field: quoted when it holds a separator, quote or line break. */
function field(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

export const FIGURES_CSV_HEADER = [
  'year',
  'rule',
  'breakdown',
  'category',
  'persons',
  'status',
  'cells_overlap',
];

/** Rows of one rule's figures: the total first, then each cell (`persons` empty when not published). */
export function figureRows(
  year: number,
  rule: CountingRule,
  persons: number,
  breakdowns: readonly PublishedBreakdown[],
): (string | number | boolean | null)[][] {
  const rows: (string | number | boolean | null)[][] = [
    [year, rule, 'total', 'all', persons, 'published', false],
  ];
  for (const b of breakdowns) {
    for (const cell of b.cells) {
      const status = b.withheld ? 'withheld' : cell.persons === null ? 'suppressed' : 'published';
      rows.push([year, rule, b.breakdown, cell.category, cell.persons, status, b.cellsOverlap]);
    }
  }
  return rows;
}

/** A snapshot as CSV: its figures under both rules, then its revisions. */
export function snapshotCsv(
  year: number,
  figures: SnapshotFigures,
  revisions: readonly CellRevision[],
): string {
  const rows: (string | number | boolean | null)[][] = [['section', ...FIGURES_CSV_HEADER, 'live', 'delta']];
  for (const rule of ['register', 'rapporteur'] as const) {
    const breakdowns = Object.values(figures.breakdowns).map((pair) => pair[rule]);
    for (const row of figureRows(year, rule, figures.totals[rule], breakdowns))
      rows.push(['snapshot', ...row, null, null]);
  }
  for (const r of revisions) {
    rows.push([
      'revision',
      year,
      r.rule,
      r.breakdown as Breakdown | 'total',
      r.category,
      r.snapshot,
      r.delta === null ? 'suppressed' : 'published',
      null,
      r.live,
      r.delta,
    ]);
  }
  return toCsv(rows);
}
