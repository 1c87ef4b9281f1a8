import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DIRECT_IDENTIFIER_FIELDS,
  REPORTER_TYPES,
  SEXES,
  SIGNAL_FIELDS,
  readField,
  type SignalField,
} from '@ketenpoort/signal-contract';
import { aSignal } from '@ketenpoort/testing';
import { ageAtReport, ageBand } from './age-at-report.js';
import { countryRegions } from './field-generalisers.js';
import { legalBasisText, type LegalBasis } from './legal-ground.js';
import { PolicyError } from './policy.error.js';
import { evaluate } from './policy.evaluator.js';
import { lintPolicy } from './policy.linter.js';
import type { DerivedOutput, FieldOutput, Generaliser, Policy, PurposePolicy } from './policy.model.js';
import { toSignal } from './policy.fixtures.js';
import { FakeTokenIssuer } from './token-issuer.fake.js';

// The action grammar over SIGNAL_FIELDS: the outputs a rule may name per field, including some the linter must
// refuse (a direct identifier forwarded or masked, two outputs writing one path, a mask keeping nothing).
const DATE = ['forward', '{ generalise: date }', '{ generalise: month }'];
const mask = fc
  .record({ first: fc.integer({ min: 0, max: 4 }), last: fc.integer({ min: 0, max: 4 }) })
  .map(({ first, last }) => `{ mask: { first: ${first}, last: ${last} } }`);
const GRAMMAR: Partial<Record<SignalField, string[]>> = {
  reportedAt: DATE,
  'consent.date': DATE,
  'exploitation.startedAt': DATE,
  'exploitation.endedAt': DATE,
  'subject.givenNames': ['pseudonymise', 'forward'],
  'subject.familyName': ['pseudonymise'],
  'subject.birthDate': [
    'pseudonymise',
    '{ generalise: birth-year }',
    '{ generalise: age-band }',
    '{ generalise: minor-or-adult }',
  ],
  'subject.sex': ['forward', 'pseudonymise'],
  'subject.nationalities': ['forward', '{ generalise: region }'],
  'exploitation.countries': ['forward', '{ generalise: region }'],
  'subject.address.postcode': ['{ generalise: postcode-area }', 'MASK'],
  'subject.address.street': ['MASK'],
  'subject.phone': ['forward'],
  'case.reference': ['{ pseudonymise: case }', 'MASK'],
  'exploitation.sector': ['forward', 'MASK'],
  'exploitation.policeUnit': ['forward', 'MASK'],
  'subject.documents[].type': ['pseudonymise', 'forward'],
  'subject.documents[].country': ['pseudonymise', 'forward'],
  'subject.documents[].number': ['pseudonymise'],
  'case.officer.name': [],
  'case.officer.email': [],
};
const candidates = (field: SignalField) =>
  GRAMMAR[field] ?? (DIRECT_IDENTIFIER_FIELDS.includes(field) ? [] : ['forward']);

const rule = (field: SignalField): fc.Arbitrary<string[] | null> => {
  const options = candidates(field);
  const some = options.length
    ? fc
        .subarray(options, { minLength: 1, maxLength: options === DATE ? 1 : Math.min(2, options.length) })
        .chain((picked) => fc.tuple(...picked.map((o) => (o === 'MASK' ? mask : fc.constant(o)))))
    : fc.constant<string[]>(['drop']);
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: fc.constant<string[]>(['drop']), weight: 1 },
    { arbitrary: some, weight: 3 },
  );
};

const GROUNDS: ((LegalBasis & { consent: 'none' | 'required' }) | 'not-permitted')[] = [
  { route: 'police-data-act', gdpr: [], consent: 'none' },
  { route: 'inspectorate-decree', gdpr: [], consent: 'none' },
  { gdpr: ['6(1)(a)', '9(2)(a)'], consent: 'required' },
  { gdpr: ['6(1)(e)'], consent: 'none' },
  'not-permitted',
];
const DERIVED: DerivedOutput[] = ['age-at-report', 'minor', 'cross-border', 'dossier-type', 'contact-point'];

const policySpec = fc.record({
  fields: fc.record(
    Object.fromEntries(SIGNAL_FIELDS.map((field) => [field, rule(field)])) as Record<
      SignalField,
      fc.Arbitrary<string[] | null>
    >,
  ),
  grounds: fc.tuple(...REPORTER_TYPES.map(() => fc.constantFrom(...GROUNDS))),
  derived: fc.subarray(DERIVED),
});
type PolicySpec = typeof policySpec extends fc.Arbitrary<infer T> ? T : never;

/** One output as the parser would read it from the grammar's text. */
function toOutput(text: string): FieldOutput {
  if (text === 'forward' || text === 'drop' || text === 'pseudonymise') return { action: text };
  if (text === '{ pseudonymise: case }') return { action: 'pseudonymise', kind: 'case' };
  const masked = /first: (\d+), last: (\d+)/.exec(text);
  if (masked) return { action: 'mask', first: Number(masked[1]), last: Number(masked[2]) };
  return { action: 'generalise', to: /generalise: ([a-z-]+)/.exec(text)![1] as Generaliser };
}

/** The policy of a spec, built as the model the linter checks (parsing YAML in jest costs ~30 ms a try). */
function policyOf(spec: PolicySpec): Policy {
  const grounds = Object.fromEntries(
    REPORTER_TYPES.map((type, i) => {
      const ground = spec.grounds[i];
      if (ground === 'not-permitted') return [type, ground];
      const { consent, ...basis } = ground;
      return [type, { legalGround: legalBasisText(basis), consent, basis }];
    }),
  ) as PurposePolicy['grounds'];
  const fields = Object.fromEntries(
    Object.entries(spec.fields)
      .filter(([, outputs]) => outputs !== null)
      .map(([field, outputs]) => [field, outputs!.map(toOutput)]),
  );
  return {
    version: 'random',
    format: 1,
    destination: 'register',
    source: 'random',
    ageBands: [18, 23],
    purposes: [
      {
        id: 'registration',
        description: 'random',
        processingActivity: 'RANDOM-01',
        dossierType: 'registration',
        retention: 'P1Y',
        grounds,
        fields,
        derived: spec.derived,
        line: 1,
      },
    ],
  };
}

const word = fc.stringMatching(/^[A-Za-zÀ-ÿŁł]{7,14}$/);
const day = fc.date({
  min: new Date('1950-01-01T00:00:00Z'),
  max: new Date('2015-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const signal = fc
  .record({
    givenNames: word,
    familyName: word,
    birthDate: fc.option(
      fc.oneof(
        day.map((d) => d.toISOString().slice(0, 10)),
        day.map((d) => d.toISOString().slice(0, 7)),
        day.map((d) => d.toISOString().slice(0, 4)),
      ),
    ),
    sex: fc.constantFrom(...SEXES),
    nationalities: fc.uniqueArray(fc.constantFrom('PL', 'NG', 'NL', 'UA', 'CN', 'BR'), {
      minLength: 1,
      maxLength: 3,
    }),
    countries: fc.uniqueArray(fc.constantFrom('NL', 'BE', 'DE', 'PL'), { minLength: 1, maxLength: 2 }),
    postcode: fc.option(
      fc
        .tuple(fc.integer({ min: 1000, max: 9999 }), fc.constantFrom('AB', 'XZ'))
        .map(([n, l]) => `${n} ${l}`),
    ),
    documentNumber: fc.option(fc.stringMatching(/^[A-Z]{2}[0-9]{7,9}$/)),
    consentBy: fc.constantFrom('subject', 'guardian'),
  })
  .map((r) => {
    let builder = aSignal()
      .withConsent({ status: 'given', by: r.consentBy })
      .withSubject({
        givenNames: r.givenNames,
        familyName: r.familyName,
        sex: r.sex,
        nationalities: r.nationalities,
      })
      .withExploitation({ countries: r.countries });
    builder = r.birthDate
      ? builder.with('subject.birthDate', r.birthDate)
      : builder.without('subject.birthDate');
    builder = r.postcode
      ? builder.with('subject.address.postcode', r.postcode)
      : builder.without('subject.address');
    builder = r.documentNumber
      ? builder.with('subject.documents', [{ type: 'passport', country: 'PL', number: r.documentNumber }])
      : builder.without('subject.documents');
    return builder.build();
  });

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

const GENERALISED_PATH: Record<string, (field: string) => string> = {
  'birth-year': () => 'subject.birthYear',
  'age-band': () => 'subject.ageBandAtReport',
  'minor-or-adult': () => 'subject.minorOrAdult',
  'postcode-area': () => 'subject.address.postcodeArea',
  date: (field) => field,
  month: (field) => field,
  region: (field) =>
    field === 'subject.nationalities' ? 'subject.nationalityRegions' : 'exploitation.countryRegions',
};

/** What the rules produce, computed here from the spec and the signal, independently of the evaluator. */
function expectedData(
  spec: PolicySpec,
  plain: Record<string, unknown>,
  contactPoint: string,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const reportedAt = plain.reportedAt as string;
  const birthDate = readField(plain, 'subject.birthDate')[0] as string | undefined;
  const age = birthDate ? ageAtReport(birthDate, reportedAt) : null;
  const documentLeaves: string[] = [];
  for (const [field, outputs] of Object.entries(spec.fields)) {
    const values = readField(plain, field);
    if (!outputs || !values.length) continue;
    for (const output of outputs) {
      const value = values[0];
      if (output === 'forward' && field.includes('[]')) documentLeaves.push(field.split('[].')[1]);
      else if (output === 'forward') setPath(data, field, value);
      else if (output.startsWith('{ mask')) {
        const [, first, last] = /first: (\d+), last: (\d+)/.exec(output)!.map(Number);
        const text = String(value);
        const keep = first + last < text.length;
        setPath(
          data,
          field,
          keep
            ? text.slice(0, first) + '*'.repeat(text.length - first - last) + text.slice(text.length - last)
            : '*'.repeat(text.length),
        );
      } else if (output.startsWith('{ generalise')) {
        const to = /generalise: ([a-z-]+)/.exec(output)![1];
        const result =
          to === 'birth-year'
            ? Number(String(value).slice(0, 4))
            : to === 'age-band'
              ? ageBand(age!, [18, 23])
              : to === 'minor-or-adult'
                ? age!.max < 18
                  ? 'minor'
                  : age!.min >= 18
                    ? 'adult'
                    : 'minor-uncertain'
                : to === 'postcode-area'
                  ? String(value).slice(0, 4)
                  : to === 'date'
                    ? String(value)
                    : to === 'month'
                      ? String(value).slice(0, 7)
                      : countryRegions(value as string[]);
        setPath(data, GENERALISED_PATH[to](field), result);
      }
    }
  }
  if (documentLeaves.length) {
    const documents = (readField(plain, 'subject.documents')[0] as Record<string, unknown>[]) ?? [];
    setPath(
      data,
      'subject.documents',
      documents.map((d) =>
        Object.fromEntries(documentLeaves.filter((l) => d[l] != null).map((l) => [l, d[l]])),
      ),
    );
  }
  for (const id of spec.derived) {
    if (id === 'age-at-report' && age) setPath(data, 'subject.ageAtReport', age.min);
    if (id === 'minor' && age) setPath(data, 'subject.minor', age.min < 18);
    if (id === 'cross-border') {
      const countries = readField(plain, 'exploitation.countries')[0] as string[];
      setPath(data, 'exploitation.scope', countries.every((c) => c === 'NL') ? 'domestic' : 'cross-border');
    }
    if (id === 'dossier-type') setPath(data, 'dossierType', 'registration');
    if (id === 'contact-point') setPath(data, 'contact.point', contactPoint);
  }
  return data;
}

describe('evaluate under random policies that lint (property)', () => {
  it('releases exactly what the rules produce, nothing unreleased, and no direct identifier in any form', () => {
    let evaluated = 0;
    fc.assert(
      fc.property(policySpec, signal, fc.constantFrom(...REPORTER_TYPES), (spec, plain, reporterType) => {
        const policy = policyOf(spec);
        fc.pre(lintPolicy(policy).length === 0);
        const contactPoint = 'meldpunt@organisation.example';
        let output: string;
        try {
          const sut = evaluate(policy, toSignal(plain), {
            reporterType,
            tokens: new FakeTokenIssuer(),
            reporter: { organisation: 'org', contactPoint },
          });
          evaluated += 1;
          expect(sut.data).toEqual(expectedData(spec, plain, contactPoint));
          output = JSON.stringify(sut);
          for (const token of sut.tokens) output = output.split(token.value).join('');
        } catch (error) {
          if (!(error instanceof PolicyError)) throw error;
          output = JSON.stringify({ message: error.message, field: error.field, problems: error.problems });
        }
        for (const field of DIRECT_IDENTIFIER_FIELDS) {
          for (const value of readField(plain, field) as string[]) {
            // A year-only birth date is its own birth year: that generalisation is what the policy releases.
            if (field === 'subject.birthDate' && /^\d{4}$/.test(value)) continue;
            expect(output).not.toContain(value);
            expect(output.toLowerCase()).not.toContain(value.toLowerCase());
          }
        }
      }),
      { numRuns: 200, maxSkipsPerRun: 200 },
    );
    expect(evaluated).toBeGreaterThan(60);
  });
});
