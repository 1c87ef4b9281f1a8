import type { CountingRule } from './counting-rule.js';

/** Port: counts over the stored persons; infrastructure/ implements it with SQL. */
export interface StatisticsReadModel {
  countPersons(year: number, rule: CountingRule): Promise<number>;
}

export const STATISTICS_READ_MODEL = Symbol('STATISTICS_READ_MODEL');
