import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  DIRECT_IDENTIFIER_FIELDS,
  REPORTER_TYPES,
  readField,
  type ReporterType,
} from '@ketenpoort/signal-contract';
import { aSignal, type SignalBuilder } from '@ketenpoort/testing';
import { PolicyError } from './policy.error.js';
import { evaluate, type Evaluation } from './policy.evaluator.js';
import { DEFAULT_POLICY_PATH, policyText, toSignal } from './policy.fixtures.js';
import type { Policy } from './policy.model.js';
import { loadPolicyFile, parsePolicy } from './policy.parser.js';
import { FakeTokenIssuer } from './token-issuer.fake.js';

let policy: Policy;
beforeAll(() => {
  policy = loadPolicyFile(DEFAULT_POLICY_PATH);
});

function run(
  builder: SignalBuilder,
  reporterType: ReporterType = 'police',
  tokens = new FakeTokenIssuer(),
  withPolicy?: Policy,
): Evaluation {
  return evaluate(withPolicy ?? policy, toSignal(builder.build()), { reporterType, tokens });
}

function refusal(action: () => unknown): PolicyError {
  try {
    action();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('evaluation was not refused');
}

const testPolicy = (fields: string[]) => parsePolicy(policyText({ fields }), 'test.yaml');
const decision = (evaluation: Evaluation, field: string) =>
  evaluation.decisions.find((d) => d.field === field);

describe(evaluate.name, () => {
  describe('the default registration purpose', () => {
    it('releases exactly what PRODUCT.md lists, plus birthDateEstimated for linkage (trunk issue)', () => {
      const sut = run(aSignal());
      expect(sut.data).toEqual({
        reportedAt: '2020-03-14',
        subject: {
          birthYear: 1999,
          ageBandAtReport: '18-22',
          birthDateEstimated: false,
          sex: 'female',
          nationalities: ['PL'],
        },
        exploitation: {
          forms: ['labour'],
          sector: 'agriculture',
          countries: ['NL'],
          policeUnit: 'oost-brabant',
          startedAt: '2019-11',
          endedAt: '2020-02',
        },
        situation: { needsShelter: true, residence: 'eu-citizen', multiProblem: false },
      });
    });

    it('gives linkage tokens and a case token', () => {
      expect(run(aSignal()).tokens.map((token) => token.kind)).toEqual(['nds', 'doc', 'case']);
    });

    it('names purpose, dossier type, legal ground, policy and key version and retention', () => {
      const sut = run(aSignal());
      expect(sut).toMatchObject({
        purpose: 'registration',
        dossierType: 'registration',
        legalGround: 'Wpg art. 18 jo. Bpg art. 4:2',
        policyVersion: policy.version,
        keyVersion: 7,
        retainUntil: '2030-03-14',
        consent: { required: false, by: null },
        flags: [],
      });
    });

    it('holds no direct identifier in any form', () => {
      const signal = aSignal().build();
      const json = JSON.stringify(run(aSignal()));
      for (const field of DIRECT_IDENTIFIER_FIELDS) {
        for (const value of readField(signal, field) as string[]) {
          expect(json).not.toContain(value);
          expect(json.toLowerCase()).not.toContain(value.toLowerCase());
        }
      }
    });

    it('decides every present field', () => {
      const sut = run(aSignal());
      expect(Object.fromEntries(sut.decisions.map((d) => [d.field, d.action]))).toEqual({
        signalId: 'dropped',
        purpose: 'dropped',
        reportedAt: 'forwarded',
        'consent.status': 'dropped',
        'consent.by': 'dropped',
        'consent.date': 'dropped',
        'subject.givenNames': 'pseudonymised',
        'subject.familyName': 'pseudonymised',
        'subject.birthDate': 'generalised',
        'subject.birthDateEstimated': 'forwarded',
        'subject.sex': 'forwarded',
        'subject.nationalities': 'forwarded',
        'subject.documents[].type': 'pseudonymised',
        'subject.documents[].country': 'pseudonymised',
        'subject.documents[].number': 'pseudonymised',
        'subject.phone': 'dropped',
        'subject.address.street': 'dropped',
        'subject.address.postcode': 'dropped',
        'subject.address.municipality': 'dropped',
        'subject.languages': 'dropped',
        'exploitation.forms': 'forwarded',
        'exploitation.sector': 'forwarded',
        'exploitation.countries': 'forwarded',
        'exploitation.policeUnit': 'forwarded',
        'exploitation.startedAt': 'forwarded',
        'exploitation.endedAt': 'forwarded',
        'situation.needsShelter': 'forwarded',
        'situation.residence': 'forwarded',
        'situation.multiProblem': 'forwarded',
        'situation.healthNotes': 'dropped',
        'situation.narrative': 'dropped',
        'case.reference': 'pseudonymised',
        'case.officer.name': 'dropped',
        'case.officer.email': 'dropped',
      });
    });
  });

  describe('field outputs', () => {
    it('lists every output of a field and reports its most revealing action', () => {
      const sut = run(aSignal());
      expect(decision(sut, 'subject.birthDate')).toEqual({
        field: 'subject.birthDate',
        action: 'generalised',
        outputs: ['subject.birthYear', 'subject.ageBandAtReport', 'tokens.linkage'],
      });
      expect(decision(sut, 'subject.sex')).toEqual({
        field: 'subject.sex',
        action: 'forwarded',
        outputs: ['subject.sex', 'tokens.linkage'],
      });
    });

    it('gives a dropped field no outputs', () => {
      expect(decision(run(aSignal()), 'subject.phone')).toEqual({
        field: 'subject.phone',
        action: 'dropped',
      });
    });

    it('hands the token issuer only the subject fields the policy marks pseudonymise', () => {
      const tokens = new FakeTokenIssuer();
      const only = testPolicy([
        'subject.familyName: pseudonymise',
        'subject.documents[].type: pseudonymise',
        'subject.documents[].number: pseudonymise',
      ]);
      run(aSignal().withConsent({ status: 'given' }), 'police', tokens, only);
      expect(tokens.linkageInputs).toEqual([
        { familyName: 'Kowalska', documents: [{ type: 'passport', number: 'EA1234567' }] },
      ]);
    });

    it('makes no name token when the policy drops the names', () => {
      const tokens = new FakeTokenIssuer();
      const sut = run(
        aSignal(),
        'police',
        tokens,
        testPolicy(['subject.documents[].type: pseudonymise', 'subject.documents[].number: pseudonymise']),
      );
      expect(sut.tokens.map((token) => token.kind)).toEqual(['doc']);
      expect(decision(sut, 'subject.givenNames')?.action).toBe('dropped');
    });

    it('does not call the token issuer when nothing is marked pseudonymise', () => {
      const tokens = new FakeTokenIssuer();
      const sut = run(aSignal().withPurpose('advice'), 'care-coordinator', tokens);
      expect([tokens.linkageInputs, tokens.caseInputs, sut.tokens]).toEqual([[], [], []]);
    });

    it('makes a case token from the case reference', () => {
      const tokens = new FakeTokenIssuer();
      const sut = run(aSignal(), 'police', tokens);
      expect(sut.tokens.at(-1)).toEqual({ kind: 'case', value: tokens.caseToken('POL-2020-001234') });
      expect(decision(sut, 'case.reference')?.outputs).toEqual(['tokens.case']);
    });

    it('forwards fields inside arrays element by element', () => {
      const sut = run(
        aSignal().withSubject({
          documents: [
            { type: 'passport', country: 'PL', number: 'EA1234567' },
            { type: 'national-id', number: 'ABC123456' },
          ],
        }),
        'police',
        new FakeTokenIssuer(),
        testPolicy(['subject.documents[].type: forward', 'subject.documents[].country: forward']),
      );
      expect(sut.data).toEqual({
        subject: { documents: [{ type: 'passport', country: 'PL' }, { type: 'national-id' }] },
      });
    });

    it('makes one document token per document', () => {
      const sut = run(
        aSignal().withSubject({
          documents: [
            { type: 'passport', country: 'PL', number: 'EA1234567' },
            { type: 'residence-permit', country: 'NL', number: 'NL9988776' },
          ],
        }),
      );
      expect(sut.tokens.filter((token) => token.kind === 'doc')).toHaveLength(2);
    });

    it('forwards an array of values as a copy', () => {
      const sut = run(aSignal().withSubject({ nationalities: ['PL', 'UA'] }));
      expect((sut.data.subject as Record<string, unknown>).nationalities).toEqual(['PL', 'UA']);
    });

    it('leaves out missing optional fields without deciding them', () => {
      const sut = run(
        aSignal().without('subject.documents').without('situation').without('case').without('subject.sex'),
      );
      const absent = [
        'subject.documents[].number',
        'situation.needsShelter',
        'case.reference',
        'subject.sex',
      ];
      expect(sut.decisions.filter((d) => absent.includes(d.field))).toEqual([]);
      expect(sut.data.situation).toBeUndefined();
      expect(sut.tokens.map((token) => token.kind)).toEqual(['nds']);
    });
  });

  describe('generalisation of the birth date', () => {
    it.each([
      ['2002-03-14', '2020-03-14', 2002, '18-22'],
      ['2002-03-15', '2020-03-14', 2002, 'minor'],
      ['1997-03-15', '2020-03-14', 1997, '18-22'],
      ['1997-03-14', '2020-03-14', 1997, '23+'],
      ['2001-12-31', '2019-12-31', 2001, '18-22'],
      ['2002-01-01', '2019-12-31', 2002, 'minor'],
      ['2002', '2020-12-31', 2002, '18-22'],
      ['1997', '2020-06-01', 1997, '18+'],
    ])('gives birth date %s reported %s birth year %d and band %s', (birthDate, reportedAt, year, band) => {
      const sut = run(aSignal().withSubject({ birthDate }).withReportedAt(reportedAt));
      expect(sut.data.subject).toMatchObject({ birthYear: year, ageBandAtReport: band });
      expect(sut.flags).toEqual([]);
    });

    it('marks a year-only birth date straddling 18 as minor-uncertain', () => {
      const sut = run(aSignal().withSubject({ birthDate: '2002' }).withReportedAt('2020-06-01'));
      expect(sut.data.subject).toMatchObject({ birthYear: 2002, ageBandAtReport: 'minor-uncertain' });
      expect(sut.flags).toEqual(['minor-uncertain']);
    });

    it('uses the Amsterdam calendar date of a date-time report', () => {
      const sut = run(
        aSignal().withSubject({ birthDate: '2003-01-01' }).withReportedAt('2020-12-31T23:30:00Z'),
      );
      expect([(sut.data.subject as Record<string, unknown>).ageBandAtReport, sut.retainUntil]).toEqual([
        '18-22',
        '2031-01-01',
      ]);
    });

    it('flags a signal without a birth date age-unknown and releases no birth year', () => {
      const sut = run(aSignal().without('subject.birthDate'));
      expect(sut.flags).toEqual(['age-unknown']);
      expect(sut.data.subject).not.toHaveProperty('birthYear');
    });

    it('refuses a birth date after the report date as a failed transformation', () => {
      const sut = refusal(() => run(aSignal().withSubject({ birthDate: '2021' })));
      expect([sut.code, sut.field]).toEqual(['POLICY.TRANSFORM_FAILED', 'subject.birthDate']);
    });
  });

  describe('legal ground and consent', () => {
    const table: Record<string, Record<ReporterType, boolean>> = {
      registration: {
        police: false,
        kmar: false,
        'labour-inspectorate': false,
        'care-coordinator': true,
        'youth-care': true,
        shelter: true,
        other: true,
      },
      'shelter-placement': Object.fromEntries(REPORTER_TYPES.map((type) => [type, true])) as Record<
        ReporterType,
        boolean
      >,
      advice: Object.fromEntries(REPORTER_TYPES.map((type) => [type, false])) as Record<
        ReporterType,
        boolean
      >,
    };
    const cases = Object.entries(table).flatMap(([purpose, types]) =>
      Object.entries(types).map(([type, required]) => [purpose, type as ReporterType, required] as const),
    );

    it.each(cases)('%s by %s: consent required %s', (purpose, type, required) => {
      const unknown = () => run(aSignal().withPurpose(purpose).withConsent({ status: 'unknown' }), type);
      if (required) {
        expect(refusal(unknown).code).toBe('POLICY.CONSENT_REQUIRED');
        expect(run(aSignal().withPurpose(purpose), type).consent).toEqual({ required: true, by: 'subject' });
      } else {
        expect(unknown().consent).toEqual({ required: false, by: null });
      }
    });

    it.each([
      ['police', 'Wpg art. 18 jo. Bpg art. 4:2'],
      ['kmar', 'Wpg art. 18 jo. Bpg art. 4:2'],
      ['labour-inspectorate', "Labour inspectorate's decree on the provision of data"],
      ['care-coordinator', 'AVG art. 6(1)(a); art. 9(2)(a)'],
      ['youth-care', 'AVG art. 6(1)(a); art. 9(2)(a)'],
      ['shelter', 'AVG art. 6(1)(a); art. 9(2)(a)'],
      ['other', 'AVG art. 6(1)(a); art. 9(2)(a)'],
    ] as const)('registers for %s under %s', (type, ground) => {
      expect(run(aSignal(), type).legalGround).toBe(ground);
    });

    it("does not let 'not-required' in the body exempt a care coordinator", () => {
      const sut = refusal(() => run(aSignal().withConsent({ status: 'not-required' }), 'care-coordinator'));
      expect([sut.code, sut.field]).toEqual(['POLICY.CONSENT_REQUIRED', 'consent.status']);
    });

    it('refuses a signal without any consent block where consent is required', () => {
      expect(refusal(() => run(aSignal().without('consent'), 'shelter')).code).toBe(
        'POLICY.CONSENT_REQUIRED',
      );
    });

    it('refuses refused consent where consent is required', () => {
      expect(refusal(() => run(aSignal().withConsent({ status: 'refused' }), 'youth-care')).code).toBe(
        'POLICY.CONSENT_REQUIRED',
      );
    });

    it("requires a guardian's consent for a 15-year-old", () => {
      const fifteen = aSignal().withSubject({ birthDate: '2004-06-01' });
      const sut = refusal(() => run(fifteen, 'youth-care'));
      expect([sut.code, sut.field]).toEqual(['POLICY.GUARDIAN_CONSENT_REQUIRED', 'consent.by']);
      expect(run(fifteen.withConsent({ by: 'guardian' }), 'youth-care').consent).toEqual({
        required: true,
        by: 'guardian',
      });
    });

    it("requires a guardian's consent when a year-only birth date straddles the 16th birthday", () => {
      const straddling = aSignal().withSubject({ birthDate: '2004' }).withReportedAt('2020-06-01');
      expect(refusal(() => run(straddling, 'care-coordinator')).code).toBe(
        'POLICY.GUARDIAN_CONSENT_REQUIRED',
      );
    });

    it('accepts the consent of a subject who turned 16 on the report date', () => {
      const sixteen = aSignal().withSubject({ birthDate: '2004-03-14' });
      expect(run(sixteen, 'care-coordinator').consent).toEqual({ required: true, by: 'subject' });
    });

    it('does not ask a guardian where no consent is needed', () => {
      const fifteen = aSignal().withSubject({ birthDate: '2004-06-01' });
      expect(run(fifteen, 'police').consent.required).toBe(false);
    });

    it("accepts the subject's consent without a birth date and flags age-unknown", () => {
      const sut = run(aSignal().without('subject.birthDate'), 'care-coordinator');
      expect([sut.consent, sut.flags]).toEqual([{ required: true, by: 'subject' }, ['age-unknown']]);
    });

    it('needs consent from the police for shelter placement and then releases health notes', () => {
      expect(
        refusal(() => run(aSignal().withPurpose('shelter-placement').without('consent'), 'police')).code,
      ).toBe('POLICY.CONSENT_REQUIRED');
      const sut = run(aSignal().withPurpose('shelter-placement'), 'police');
      expect([sut.dossierType, (sut.data.situation as Record<string, unknown>).healthNotes]).toEqual([
        'registration-and-shelter',
        'Needs a dentist',
      ]);
    });
  });

  describe('refusals', () => {
    it('refuses a purpose the policy does not have', () => {
      const sut = refusal(() => run(aSignal().withPurpose('marketing')));
      expect([sut.code, sut.field]).toEqual(['POLICY.PURPOSE_UNKNOWN', 'purpose']);
    });

    it('refuses a reporter type the purpose does not permit', () => {
      const grounds = REPORTER_TYPES.map((type) =>
        type === 'kmar'
          ? 'kmar: not-permitted'
          : `${type}: { legalGround: 'AVG art. 6(1)(e)', consent: none }`,
      );
      const noKmar = parsePolicy(policyText({ grounds }), 'test.yaml');
      expect(refusal(() => run(aSignal(), 'kmar', new FakeTokenIssuer(), noKmar)).code).toBe(
        'POLICY.NO_GROUND',
      );
    });

    it('turns a failing token issuer into POLICY.TRANSFORM_FAILED without quoting its message', () => {
      const failing = new FakeTokenIssuer();
      failing.linkageTokens = () => {
        throw new TypeError('cannot normalise Kowalska');
      };
      const sut = refusal(() => run(aSignal(), 'police', failing));
      expect(sut.code).toBe('POLICY.TRANSFORM_FAILED');
      expect(sut.message).not.toContain('Kowalska');
    });
  });

  describe('the advice purpose', () => {
    it('releases nothing identifying and no tokens', () => {
      const sut = run(aSignal().withPurpose('advice'), 'care-coordinator');
      expect([sut.data, sut.tokens, sut.retainUntil]).toEqual([
        {
          reportedAt: '2020-03-14',
          subject: { ageBandAtReport: '18-22' },
          exploitation: { forms: ['labour'] },
          situation: { needsShelter: true, residence: 'eu-citizen' },
        },
        [],
        '2022-03-14',
      ]);
    });
  });
});
