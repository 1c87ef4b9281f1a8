import fc from 'fast-check';
import type { LinkageSubject } from '../linkage-subject.js';

/** Up to 14 records over a few token values, so that they share tokens often (property tests of linkage). */
export const subjectsArbitrary = fc
  .array(
    fc.record({
      tokens: fc.uniqueArray(
        fc.record({
          kind: fc.constantFrom('nds', 'doc', 'case', 'ndob', 'sdob', 'near', 'phon', 'nyr', 'pyr'),
          value: fc.constantFrom('a', 'b', 'c', 'd'),
        }),
        { maxLength: 4, selector: (t) => `${t.kind}.${t.value}` },
      ),
      birthYear: fc.option(fc.integer({ min: 1998, max: 2001 }), { nil: null }),
      sex: fc.option(fc.constantFrom('female', 'male', 'unknown'), { nil: null }),
      birthDateEstimated: fc.boolean(),
    }),
    { maxLength: 14 },
  )
  .map((rows) => rows.map((row, i) => ({ ...row, recordId: `r${String(i).padStart(2, '0')}` })));

export const subject = (recordId: string, overrides: Partial<LinkageSubject>): LinkageSubject => ({
  recordId,
  tokens: [],
  birthYear: null,
  sex: null,
  birthDateEstimated: false,
  ...overrides,
});
