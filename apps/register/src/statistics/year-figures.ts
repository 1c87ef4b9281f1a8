import { BREAKDOWN_DEFINITIONS, OTHER, UNKNOWN, type Breakdown, type YearRecord } from './breakdown.js';
import { COUNTING_RULES, personCounts, type CountingRule } from './counting-rule.js';
import { suppressCells, type SuppressionCell } from './disclosure/cell-suppression.js';

/** One published cell: `persons` is null when suppressed (or when the whole breakdown is withheld). */
export interface PublishedCell {
  category: string;
  persons: number | null;
}

/** A breakdown as published for one rule. */
export interface PublishedBreakdown {
  breakdown: Breakdown;
  /** A person can fall in several cells: the cells add up to more than the total. */
  cellsOverlap: boolean;
  /** Too few persons for any safe pattern: no cell is published. */
  withheld: boolean;
  cells: PublishedCell[];
}

/** A breakdown published under both rules with one suppression pattern. */
export type PublishedBreakdownPair = Record<CountingRule, PublishedBreakdown>;

export interface FigureOptions {
  minCellSize: number;
  /** The frozen figures of the year, when a snapshot exists: revisions against it are protected too. */
  snapshot?: SnapshotFigures | null;
}

/** What a snapshot holds (published figures only: never a suppressed count). */
export interface SnapshotFigures {
  totals: Record<CountingRule, number>;
  breakdowns: Partial<Record<Breakdown, PublishedBreakdownPair>>;
}

interface PersonYear {
  counts: Record<CountingRule, boolean>;
  records: YearRecord[];
}

/** Groups a year's records by person and applies the counting rules. */
export function personsOfYear(records: readonly YearRecord[]): PersonYear[] {
  const byPerson = new Map<string, YearRecord[]>();
  for (const record of records) {
    const list = byPerson.get(record.personId) ?? [];
    list.push(record);
    byPerson.set(record.personId, list);
  }
  return [...byPerson.values()].map((list) => {
    const reports = list.map((r) => ({
      reporterType: r.reporterType,
      sexualExploitationOnly: r.sexualExploitationOnly,
    }));
    return {
      records: list,
      counts: {
        register: personCounts('register', reports),
        rapporteur: personCounts('rapporteur', reports),
      },
    };
  });
}

/** Unique persons of the year under each rule. */
export function yearTotals(persons: readonly PersonYear[]): Record<CountingRule, number> {
  return {
    register: persons.filter((p) => p.counts.register).length,
    rapporteur: persons.filter((p) => p.counts.rapporteur).length,
  };
}

/**
 * Counts one breakdown under both rules and suppresses small cells with one pattern for both (the two
 * tables are published side by side, so a visible pair must not give a small difference either). Open
 * breakdowns (nationality, police unit) name only values held by at least `minCellSize` persons; the rest
 * are counted once in `other`.
 */
export function breakdownFigures(
  persons: readonly PersonYear[],
  breakdown: Breakdown,
  options: FigureOptions,
): PublishedBreakdownPair {
  const k = options.minCellSize;
  const definition = BREAKDOWN_DEFINITIONS[breakdown];
  let categoriesOf = persons.map((p) => definition.categoriesOf(p.records));
  let listed: string[];
  const named = new Set<string>();
  if (definition.categories) {
    listed = [...definition.categories];
  } else {
    const held = new Map<string, number>();
    persons.forEach((p, i) => {
      if (!p.counts.register) return;
      for (const c of categoriesOf[i]) held.set(c, (held.get(c) ?? 0) + 1);
    });
    for (const [category, count] of held)
      if (category !== UNKNOWN && category !== OTHER && count >= k) named.add(category);
    categoriesOf = categoriesOf.map((cs) => [
      ...new Set(cs.map((c) => (named.has(c) || c === UNKNOWN ? c : OTHER))),
    ]);
    listed = [...[...named].sort(), OTHER, UNKNOWN];
  }
  for (const cs of categoriesOf) for (const c of cs) if (!listed.includes(c)) listed.push(c);

  const count = (rule: CountingRule, category: string) =>
    persons.filter((p, i) => p.counts[rule] && categoriesOf[i].includes(category)).length;
  const frozen = options.snapshot?.breakdowns[breakdown];
  const frozenValue = (rule: CountingRule, category: string) =>
    frozen?.[rule].withheld
      ? null
      : (frozen?.[rule].cells.find((c) => c.category === category)?.persons ?? null);

  const cells: SuppressionCell[] = listed.map((category) => {
    const register = count('register', category);
    const rapporteur = count('rapporteur', category);
    const derived = [register - rapporteur];
    const [fr, fp] = [frozenValue('register', category), frozenValue('rapporteur', category)];
    if (fr !== null && fp !== null)
      derived.push(register - fr, rapporteur - fp, register - rapporteur - (fr - fp));
    return {
      category,
      counts: [register, rapporteur],
      derived,
      lowerBounds: named.has(category) ? [k, 0] : [0, 0],
    };
  });
  const result = suppressCells(cells, k);
  const publish = (rule: CountingRule, t: number): PublishedBreakdown => ({
    breakdown,
    cellsOverlap: definition.multiValued,
    withheld: result.withheld,
    cells: cells.map((cell) => ({
      category: cell.category,
      persons: result.suppressed.has(cell.category) ? null : cell.counts[t],
    })),
  });
  return { register: publish('register', 0), rapporteur: publish('rapporteur', 1) };
}

/** Every breakdown under both rules: the content of a snapshot. */
export function allFigures(persons: readonly PersonYear[], options: FigureOptions): SnapshotFigures {
  const breakdowns: Partial<Record<Breakdown, PublishedBreakdownPair>> = {};
  for (const breakdown of Object.keys(BREAKDOWN_DEFINITIONS) as Breakdown[]) {
    breakdowns[breakdown] = breakdownFigures(persons, breakdown, options);
  }
  return { totals: yearTotals(persons), breakdowns };
}

/** One cell's movement against the snapshot; `delta` null when either side is suppressed. */
export interface CellRevision {
  rule: CountingRule;
  breakdown: Breakdown | 'total';
  category: string;
  snapshot: number | null;
  live: number | null;
  delta: number | null;
}

/**
 * The revisions of live figures against a snapshot: every cell whose published value moved, and every cell
 * that is suppressed on either side (whether it moved is not published either).
 */
export function revisions(snapshot: SnapshotFigures, live: SnapshotFigures): CellRevision[] {
  const out: CellRevision[] = [];
  for (const rule of COUNTING_RULES) {
    const delta = live.totals[rule] - snapshot.totals[rule];
    if (delta !== 0) {
      out.push({
        rule,
        breakdown: 'total',
        category: 'all',
        snapshot: snapshot.totals[rule],
        live: live.totals[rule],
        delta,
      });
    }
    for (const breakdown of Object.keys(BREAKDOWN_DEFINITIONS) as Breakdown[]) {
      const before = snapshot.breakdowns[breakdown]?.[rule];
      const after = live.breakdowns[breakdown]?.[rule];
      if (!before || !after) continue;
      const categories = [...new Set([...before.cells, ...after.cells].map((c) => c.category))];
      for (const category of categories) {
        const value = (b: PublishedBreakdown) =>
          b.withheld ? null : (b.cells.find((c) => c.category === category)?.persons ?? null);
        const [s, l] = [value(before), value(after)];
        if (s !== null && l !== null && s === l) continue;
        out.push({
          rule,
          breakdown,
          category,
          snapshot: s,
          live: l,
          delta: s !== null && l !== null ? l - s : null,
        });
      }
    }
  }
  return out;
}
