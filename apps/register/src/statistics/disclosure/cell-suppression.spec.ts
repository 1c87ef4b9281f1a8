import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { YearRecord } from '../breakdown.js';
import { breakdownFigures, personsOfYear, type PublishedBreakdownPair } from '../year-figures.js';
import { suppressCells, type SuppressionCell } from './cell-suppression.js';
import { feasibleRange, type LinearConstraint } from './linear-bounds.testing.js';

const K = 5;
const cell = (category: string, register: number, rapporteur = register): SuppressionCell => ({
  category,
  counts: [register, rapporteur],
  derived: [register - rapporteur],
});

describe(suppressCells.name, () => {
  it('hides nothing when every cell is zero or at least the threshold', () => {
    const sut = suppressCells([cell('a', 0), cell('b', 5), cell('c', 40)], K);
    expect([...sut.suppressed]).toEqual([]);
  });

  it('hides a small cell together with the next smallest non-zero cell', () => {
    const sut = suppressCells([cell('a', 3), cell('b', 0), cell('c', 9), cell('d', 7)], K);
    expect([...sut.suppressed].sort()).toEqual(['a', 'd']);
  });

  it('adds no complement when two small cells hide each other', () => {
    const sut = suppressCells([cell('a', 3), cell('b', 2), cell('c', 9)], K);
    expect([...sut.suppressed].sort()).toEqual(['a', 'b']);
  });

  it('hides a cell whose difference between the rules is small', () => {
    const sut = suppressCells([cell('a', 20, 18), cell('b', 9), cell('c', 30)], K);
    expect([...sut.suppressed].sort()).toEqual(['a', 'b']);
  });

  it('hides a cell whose movement against the snapshot is small', () => {
    const moved: SuppressionCell = { category: 'a', counts: [20, 20], derived: [0, 1, 1, 0] };
    const sut = suppressCells([moved, cell('b', 9), cell('c', 30)], K);
    expect([...sut.suppressed].sort()).toEqual(['a', 'b']);
  });

  it('adds a complement with rapporteur persons when the hidden rapporteur cells would all be zero', () => {
    const sut = suppressCells([cell('a', 3, 0), cell('b', 2, 0), cell('c', 9, 9), cell('d', 30, 30)], K);
    expect([...sut.suppressed].sort()).toEqual(['a', 'b', 'c']);
  });

  it('withholds the breakdown when a named category pinned at its bound cannot be protected', () => {
    const named: SuppressionCell = { category: 'NG', counts: [5, 2], derived: [3], lowerBounds: [K, 0] };
    const sut = suppressCells([named, cell('other', 0), cell('unknown', 0)], K);
    expect(sut.withheld).toBe(true);
  });
});

/** What anyone can derive from one published breakdown under both rules: a linear program over the cells. */
function attack(pair: PublishedBreakdownPair, totals: { register: number; rapporteur: number }, k: number) {
  const categories = pair.register.cells.map((c) => c.category);
  // Variables per category: 2i = persons counted by the Rapporteur, 2i+1 = persons only the register counts.
  const p = (i: number) => 2 * i;
  const d = (i: number) => 2 * i + 1;
  const left = totals.register - totals.rapporteur;
  const constraints: LinearConstraint[] = [];
  const overlap = pair.register.cellsOverlap;
  categories.forEach((category, i) => {
    const published = pair.register.cells[i].persons;
    const rapporteur = pair.rapporteur.cells[i].persons;
    if (published !== null)
      constraints.push({ terms: { [p(i)]: 1, [d(i)]: 1 }, relation: '=', rhs: published });
    if (rapporteur !== null) constraints.push({ terms: { [p(i)]: 1 }, relation: '=', rhs: rapporteur });
    // Publication rule of open breakdowns: a named value is held by at least k persons.
    if (!['other', 'unknown'].includes(category) && pair.register.breakdown === 'nationality') {
      constraints.push({ terms: { [p(i)]: 1, [d(i)]: 1 }, relation: '>=', rhs: k });
    }
    if (overlap) {
      constraints.push({ terms: { [p(i)]: 1 }, relation: '<=', rhs: totals.rapporteur });
      constraints.push({ terms: { [d(i)]: 1 }, relation: '<=', rhs: left });
    }
  });
  const all = (v: (i: number) => number) => Object.fromEntries(categories.map((_, i) => [v(i), 1]));
  constraints.push({ terms: all(p), relation: overlap ? '>=' : '=', rhs: totals.rapporteur });
  constraints.push({ terms: all(d), relation: overlap ? '>=' : '=', rhs: left });
  const range = (objective: Record<number, number>) => {
    const found = feasibleRange(categories.length * 2, constraints, objective);
    if (!found) throw new Error('the published figures admit no table: the attack model is wrong');
    return found;
  };
  return categories.map((category, i) => ({
    category,
    suppressed: pair.register.cells[i].persons === null,
    register: range({ [p(i)]: 1, [d(i)]: 1 }),
    rapporteur: range({ [p(i)]: 1 }),
    leftOut: range({ [d(i)]: 1 }),
  }));
}

const pinned = ([low, high]: [number, number]) => high - low < 0.5;

const recordArbitrary = fc.record({
  person: fc.integer({ min: 0, max: 24 }),
  kmarSexualOnly: fc.boolean(),
  sex: fc.constantFrom('female', 'male', 'unknown'),
  nationalities: fc.subarray(['PL', 'NG', 'NL', 'BG', 'HU', 'UG'], { maxLength: 2 }),
  forms: fc.subarray(['sexual', 'labour', 'criminal'], { maxLength: 2 }),
});

interface RecordRow {
  person: number;
  kmarSexualOnly: boolean;
  sex: string;
  nationalities: string[];
  forms: string[];
}

function toRecords(rows: RecordRow[]): YearRecord[] {
  return rows.map((row, i) => ({
    personId: `p${row.person}`,
    recordId: `r${String(i).padStart(3, '0')}`,
    reporterType: row.kmarSexualOnly ? 'kmar' : 'police',
    reportedAt: '2020-05-01',
    sexualExploitationOnly: row.kmarSexualOnly,
    dossierType: 'registration',
    data: {
      subject: { sex: row.sex, nationalities: row.nationalities },
      exploitation: { forms: row.kmarSexualOnly ? ['sexual'] : row.forms },
    },
  }));
}

describe('complementary suppression against an attacker who solves for the hidden cells', () => {
  it.each(['sex', 'nationality', 'exploitation-form'] as const)(
    'pins no suppressed %s cell and no small difference between the rules',
    (breakdown) => {
      fc.assert(
        fc.property(fc.array(recordArbitrary, { minLength: 1, maxLength: 40 }), (rows) => {
          const persons = personsOfYear(toRecords(rows));
          const totals = {
            register: persons.filter((x) => x.counts.register).length,
            rapporteur: persons.filter((x) => x.counts.rapporteur).length,
          };
          const pair = breakdownFigures(persons, breakdown, { minCellSize: K });
          if (pair.register.withheld) {
            expect(pair.register.cells.every((c) => c.persons === null)).toBe(true);
            return;
          }
          for (const found of attack(pair, totals, K)) {
            if (found.suppressed) {
              expect({ category: found.category, pinned: pinned(found.register) }).toEqual({
                category: found.category,
                pinned: false,
              });
              if (totals.rapporteur > 0) expect(pinned(found.rapporteur)).toBe(false);
            }
            if (pinned(found.leftOut)) {
              const value = Math.round(found.leftOut[0]);
              expect(value === 0 || value >= K).toBe(true);
            }
          }
        }),
        { numRuns: 150, seed: 20_201_013 },
      );
    },
  );

  it('finds the hidden cell when only one cell of a single-valued breakdown is hidden (the attack works)', () => {
    const records = toRecords([
      ...Array.from({ length: 7 }, (_, i) => ({
        person: i,
        kmarSexualOnly: false,
        sex: 'female',
        nationalities: [],
        forms: [],
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        person: 10 + i,
        kmarSexualOnly: false,
        sex: 'male',
        nationalities: [],
        forms: [],
      })),
    ]);
    const persons = personsOfYear(records);
    const pair = breakdownFigures(persons, 'sex', { minCellSize: K });
    const naive = structuredClone(pair);
    for (const rule of ['register', 'rapporteur'] as const) {
      naive[rule].cells = naive[rule].cells.map((c) => ({
        ...c,
        persons: c.category === 'male' ? null : (c.persons ?? 7),
      }));
    }
    const found = attack(naive, { register: 10, rapporteur: 10 }, K).find((c) => c.category === 'male')!;
    expect(found.register).toEqual([3, 3]);
  });
});
