import type { YearRecord } from './breakdown.js';
import type { CountingRule } from './counting-rule.js';

/** Port: counts over the stored persons; infrastructure/ implements it with SQL. */
export interface StatisticsReadModel {
  countPersons(year: number, rule: CountingRule): Promise<number>;
  /** Every record of the year with its person and the released facts the breakdowns read. */
  recordsOfYear(year: number): Promise<YearRecord[]>;
}

export const STATISTICS_READ_MODEL = Symbol('STATISTICS_READ_MODEL');
