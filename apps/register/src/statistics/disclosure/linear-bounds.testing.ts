/**
 * Test support: the attacker's tool. Bounds of a linear expression over non-negative variables under linear
 * constraints, by a two-phase simplex with Bland's rule (small dense problems only). The published tables'
 * constraints (sums of cells) are totally unimodular, so these real bounds are reached by integer solutions.
 */
export interface LinearConstraint {
  /** Coefficient per variable index. */
  terms: Record<number, number>;
  relation: '=' | '<=' | '>=';
  rhs: number;
}

const EPS = 1e-9;

/** Minimum of `objective · x` with x ≥ 0; null when infeasible, -Infinity when unbounded. */
export function minimise(
  variables: number,
  constraints: readonly LinearConstraint[],
  objective: Record<number, number>,
): number | null {
  const m = constraints.length;
  const slackCount = constraints.filter((c) => c.relation !== '=').length;
  const cols = variables + slackCount + m;
  const tableau: number[][] = [];
  const basis: number[] = [];
  let slack = variables;
  constraints.forEach((constraint, i) => {
    const row = new Array<number>(cols + 1).fill(0);
    for (const [index, value] of Object.entries(constraint.terms)) row[Number(index)] += value;
    if (constraint.relation === '<=') row[slack++] = 1;
    if (constraint.relation === '>=') row[slack++] = -1;
    row[cols] = constraint.rhs;
    if (row[cols] < 0) for (let j = 0; j <= cols; j++) row[j] = -row[j];
    row[variables + slackCount + i] = 1;
    tableau.push(row);
    basis.push(variables + slackCount + i);
  });
  const artificial = (j: number) => j >= variables + slackCount;

  const run = (cost: number[], allowed: (j: number) => boolean): 'optimal' | 'unbounded' => {
    for (let iteration = 0; iteration < 10_000; iteration++) {
      let entering = -1;
      for (let j = 0; j < cols && entering < 0; j++) {
        if (!allowed(j) || basis.includes(j)) continue;
        let reduced = cost[j];
        for (let i = 0; i < m; i++) reduced -= cost[basis[i]] * tableau[i][j];
        if (reduced < -EPS) entering = j;
      }
      if (entering < 0) return 'optimal';
      let leaving = -1;
      let best = Infinity;
      for (let i = 0; i < m; i++) {
        if (tableau[i][entering] <= EPS) continue;
        const ratio = tableau[i][cols] / tableau[i][entering];
        if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[i] < basis[leaving])) {
          best = ratio;
          leaving = i;
        }
      }
      if (leaving < 0) return 'unbounded';
      pivot(leaving, entering);
    }
    throw new Error('simplex did not converge');
  };
  const pivot = (row: number, col: number) => {
    const p = tableau[row][col];
    for (let j = 0; j <= cols; j++) tableau[row][j] /= p;
    for (let i = 0; i < m; i++) {
      if (i === row || Math.abs(tableau[i][col]) <= EPS) continue;
      const f = tableau[i][col];
      for (let j = 0; j <= cols; j++) tableau[i][j] -= f * tableau[row][j];
    }
    basis[row] = col;
  };

  const phase1 = Array.from({ length: cols }, (_, j) => (artificial(j) ? 1 : 0));
  run(phase1, () => true);
  const infeasibility = basis.reduce((sum, b, i) => sum + (artificial(b) ? tableau[i][cols] : 0), 0);
  if (infeasibility > 1e-7) return null;
  // Drive zero-level artificials out of the basis where a real column can take their place.
  basis.forEach((b, i) => {
    if (!artificial(b)) return;
    const col = [...Array(variables + slackCount).keys()].find((j) => Math.abs(tableau[i][j]) > EPS);
    if (col !== undefined) pivot(i, col);
  });
  const phase2 = Array.from({ length: cols }, (_, j) => objective[j] ?? 0);
  if (run(phase2, (j) => !artificial(j)) === 'unbounded') return -Infinity;
  return basis.reduce((sum, b, i) => sum + (phase2[b] ?? 0) * tableau[i][cols], 0);
}

/** [min, max] of `objective · x`; null when the constraints are infeasible. */
export function feasibleRange(
  variables: number,
  constraints: readonly LinearConstraint[],
  objective: Record<number, number>,
): [number, number] | null {
  const low = minimise(variables, constraints, objective);
  if (low === null) return null;
  const negated = Object.fromEntries(Object.entries(objective).map(([k, v]) => [k, -v]));
  const high = minimise(variables, constraints, negated);
  return [low, high === null ? low : -high];
}
