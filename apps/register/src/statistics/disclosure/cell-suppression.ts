/**
 * One category of a breakdown across the tables published together (index 0: the register rule, index 1:
 * the Rapporteur rule), with the quantities a reader can derive from them.
 */
export interface SuppressionCell {
  category: string;
  /** The published count of this category in each table. */
  counts: readonly number[];
  /**
   * Quantities a reader derives when the cell is visible in every table: the difference between the rules
   * (persons left out by the Rapporteur) and, for a frozen year, the movement against the snapshot.
   */
  derived: readonly number[];
  /** What a reader knows from the publication rules alone, per table (a named open category holds ≥ k). */
  lowerBounds?: readonly number[];
}

export type SuppressionResult =
  /** Categories whose counts are hidden in every table (empty: nothing hidden). */
  | { withheld: false; suppressed: Set<string> }
  /** No safe pattern exists: publish no cell of this breakdown, only the totals. */
  | { withheld: true; suppressed: Set<string> };

const small = (value: number, minCellSize: number) => value !== 0 && Math.abs(value) < minCellSize;

/**
 * Small-cell suppression with complementary suppression, one pattern for all tables published together.
 *
 * Primary: a category is hidden when any of its counts or derived quantities is non-zero and below
 * `minCellSize` (so no visible pair of cells gives a small difference either).
 * Complementary: while the hidden set is a single category, or in some table the hidden counts hold no more
 * than their known lower bounds (so each would be pinned by `total − visible`), the visible category with
 * the smallest register count that adds slack is hidden too. When no category can, the breakdown is withheld.
 * Hence a reader learns only the sum of two or more hidden cells, and that sum leaves each of them a range.
 *
 * @example suppressCells([{ category: 'a', counts: [3, 3], derived: [0] }, ...], 5)
 */
export function suppressCells(cells: readonly SuppressionCell[], minCellSize: number): SuppressionResult {
  const tables = cells[0]?.counts.length ?? 0;
  const lower = (cell: SuppressionCell, t: number) => cell.lowerBounds?.[t] ?? 0;
  const hidden = new Set(
    cells
      .filter(
        (c) => c.counts.some((v) => small(v, minCellSize)) || c.derived.some((v) => small(v, minCellSize)),
      )
      .map((c) => c.category),
  );
  const visible = () => cells.filter((c) => !hidden.has(c.category));
  const byRegisterCount = (a: SuppressionCell, b: SuppressionCell) =>
    a.counts[0] - b.counts[0] || a.category.localeCompare(b.category);

  for (;;) {
    if (hidden.size === 0) return { withheld: false, suppressed: hidden };
    const hiddenCells = cells.filter((c) => hidden.has(c.category));
    const totals = Array.from({ length: tables }, (_, t) => cells.reduce((sum, c) => sum + c.counts[t], 0));
    // A hidden cell whose known lower bound reaches the table total is pinned whatever else is hidden.
    if (hiddenCells.some((c) => c.counts.some((_, t) => lower(c, t) > 0 && lower(c, t) >= totals[t]))) {
      return { withheld: true, suppressed: new Set(cells.map((c) => c.category)) };
    }
    let wanted: ((c: SuppressionCell) => boolean) | null = null;
    for (let t = 0; t < tables && !wanted; t++) {
      const slack = hiddenCells.reduce((sum, c) => sum + c.counts[t] - lower(c, t), 0);
      const helps = (c: SuppressionCell) => c.counts[t] - lower(c, t) > 0;
      if (slack !== 0) continue;
      if (visible().some(helps)) wanted = helps;
      // No cell can add slack: with positive bounds the hidden cells sit pinned on them; with none, this
      // table is all zeros (its total says so) and nothing is left to protect in it.
      else if (hiddenCells.some((c) => lower(c, t) > 0)) {
        return { withheld: true, suppressed: new Set(cells.map((c) => c.category)) };
      }
    }
    if (!wanted && hidden.size === 1) {
      const helpsRegister = (c: SuppressionCell) => c.counts[0] - lower(c, 0) > 0;
      wanted = visible().some(helpsRegister) ? helpsRegister : () => true;
    }
    if (!wanted) return { withheld: false, suppressed: hidden };
    const candidate = visible().filter(wanted).sort(byRegisterCount)[0];
    if (!candidate) return { withheld: true, suppressed: new Set(cells.map((c) => c.category)) };
    hidden.add(candidate.category);
  }
}
