import { describe, expect, it } from '@jest/globals';
import { generateYear } from '../../tools/linkage-eval/src/synthetic-year.generator.js';
import {
  countPersons,
  evaluationPseudonymiser,
  linkRecords,
  measure,
  registerView,
} from '../../tools/linkage-eval/src/linkage-evaluation.js';

// DOMAIN.md, 2020: register 1,013, Rapporteur 984 (29 persons reported only by KMar for sexual exploitation).
const year2020 = generateYear({ seed: 2020, persons: 1013, year: 2020, fullMix: false, kmarSexualOnly: 29 });

describe('a reporting year shaped like 2020, names varying in format only', () => {
  let predicted: Map<string, string>;
  const linked = async () => {
    predicted ??= await linkRecords(year2020.reports.map((r) => registerView(r, evaluationPseudonymiser())));
    return predicted;
  };

  it('has the true totals of DOMAIN.md', () => {
    const truth = (rule: 'register' | 'rapporteur') =>
      countPersons(year2020.reports, (r) => r.personId, rule);
    expect([truth('register'), truth('rapporteur')]).toEqual([1013, 984]);
  });

  it('counts 1,013 persons under the register rule', async () => {
    const personOf = await linked();
    expect(countPersons(year2020.reports, (r) => personOf.get(r.reportId)!, 'register')).toBe(1013);
  });

  it('counts 984 persons under the Rapporteur rule', async () => {
    const personOf = await linked();
    expect(countPersons(year2020.reports, (r) => personOf.get(r.reportId)!, 'rapporteur')).toBe(984);
  });

  it('makes no wrong merge', async () => {
    expect(measure(year2020.reports, await linked()).wrongPairs).toBe(0);
  });
});

describe('a 2020-sized year with the full mix of variation', () => {
  const mixed = generateYear({ seed: 2020, persons: 1013, year: 2020, fullMix: true, kmarSexualOnly: 29 });

  it('links with pairwise precision of at least 0.995 and recall of at least 0.95', async () => {
    const metrics = measure(
      mixed.reports,
      await linkRecords(mixed.reports.map((r) => registerView(r, evaluationPseudonymiser()))),
    );
    expect({ precision: metrics.precision >= 0.995, recall: metrics.recall >= 0.95 }).toEqual({
      precision: true,
      recall: true,
    });
  });
});
