import { describe, expect, it } from '@jest/globals';
import type { ReporterType } from '@ketenpoort/signal-contract';
import { aSignal, type SignalBuilder } from '@ketenpoort/testing';
import { PolicyError } from './policy.error.js';
import { evaluate, type Evaluation, type EvaluationContext } from './policy.evaluator.js';
import { policyText, toSignal } from './policy.fixtures.js';
import { parsePolicy } from './policy.parser.js';
import { FakeTokenIssuer } from './token-issuer.fake.js';

const policyOf = (fields: string[], extra: string[] = [], bands = '[18, 23]') =>
  parsePolicy(
    policyText({ fields, purposeExtra: extra }).replace('ageBands: [18, 23]', `ageBands: ${bands}`),
    'test.yaml',
  );

function run(
  fields: string[],
  builder: SignalBuilder = aSignal(),
  options: {
    extra?: string[];
    bands?: string;
    ctx?: Partial<EvaluationContext>;
    reporterType?: ReporterType;
  } = {},
): Evaluation {
  return evaluate(policyOf(fields, options.extra, options.bands), toSignal(builder.build()), {
    reporterType: options.reporterType ?? 'care-coordinator',
    tokens: new FakeTokenIssuer(),
    ...options.ctx,
  });
}

const born = (birthDate: string, reportedAt: string) =>
  aSignal().withSubject({ birthDate }).withReportedAt(reportedAt).withConsent({ by: 'guardian' });

describe(evaluate.name, () => {
  describe('mask', () => {
    it('keeps the first and last characters of the case reference', () => {
      const sut = run(['case.reference: { mask: { first: 4, last: 2 } }']);
      expect(sut.data).toEqual({ case: { reference: 'POL-*********34' } });
    });

    it('reports a masked field as generalised', () => {
      const sut = run(['case.reference: { mask: { first: 4 } }']);
      expect(sut.decisions.find((d) => d.field === 'case.reference')).toEqual({
        field: 'case.reference',
        action: 'generalised',
        outputs: ['case.reference'],
      });
    });
  });

  describe('generalise the address', () => {
    it('releases the postcode area: the four digits of a Dutch postcode', () => {
      expect(run(['subject.address.postcode: { generalise: postcode-area }']).data).toEqual({
        subject: { address: { postcodeArea: '5211' } },
      });
    });

    it('refuses the whole signal when a postcode is not Dutch, and names the field only', () => {
      let error: unknown;
      try {
        run(
          ['subject.sex: forward', 'subject.address.postcode: { generalise: postcode-area }'],
          aSignal().with('subject.address.postcode', 'SW1A 1AA'),
        );
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(PolicyError);
      expect(error).toMatchObject({ code: 'POLICY.TRANSFORM_FAILED', field: 'subject.address.postcode' });
      expect((error as Error).message).not.toContain('SW1A');
    });

    it('forwards the municipality code as the coarsest address', () => {
      expect(run(['subject.address.municipality: forward']).data).toEqual({
        subject: { address: { municipality: 'GM0796' } },
      });
    });
  });

  describe('generalise dates', () => {
    it('releases the Amsterdam date of a date-time report', () => {
      const sut = run(['reportedAt: { generalise: date }'], aSignal().withReportedAt('2020-12-31T23:30:00Z'));
      expect(sut.data).toEqual({ reportedAt: '2021-01-01' });
    });

    it('releases the month of a date', () => {
      expect(run(['reportedAt: { generalise: month }']).data).toEqual({ reportedAt: '2020-03' });
    });

    it('leaves a month-precision date as it is under month', () => {
      expect(run(['exploitation.startedAt: { generalise: month }']).data).toEqual({
        exploitation: { startedAt: '2019-11' },
      });
    });
  });

  describe('generalise country lists', () => {
    it('releases the regions of the nationalities', () => {
      const sut = run(
        ['subject.nationalities: { generalise: region }'],
        aSignal().withSubject({ nationalities: ['NG', 'PL', 'DE'] }),
      );
      expect(sut.data).toEqual({ subject: { nationalityRegions: ['eu-eea', 'africa'] } });
    });

    it('releases the regions of the countries of exploitation', () => {
      const sut = run(
        ['exploitation.countries: { generalise: region }'],
        aSignal().withExploitation({ countries: ['NL', 'UA'] }),
      );
      expect(sut.data).toEqual({ exploitation: { countryRegions: ['eu-eea', 'europe-other'] } });
    });
  });

  describe('generalise the birth date at band edges', () => {
    const bands = ['subject.birthDate: [{ generalise: age-band }, { generalise: minor-or-adult }]'];
    it.each([
      ['2002-12-31', '2020-12-30', 'minor', 'minor'], // 17 the day before the 18th birthday
      ['2002-12-31', '2020-12-31', '18-22', 'adult'], // 18 on the birthday, 31 Dec
      ['2002-01-01', '2020-01-01', '18-22', 'adult'], // 18 on the birthday, 1 Jan
      ['2002-01-01', '2019-12-31', 'minor', 'minor'], // 17 on 31 Dec
      ['1998-01-01', '2020-12-31', '18-22', 'adult'], // 22
      ['1998-01-01', '2021-01-01', '23+', 'adult'], // 23 on 1 Jan
      ['1997-12-31', '2020-12-30', '18-22', 'adult'], // 22 the day before
      ['1997-12-31', '2020-12-31', '23+', 'adult'], // 23 on 31 Dec
      ['2002', '2020-06-01', 'minor-uncertain', 'minor-uncertain'], // year-only: 17 or 18
      ['2002', '2020-12-31', '18-22', 'adult'], // year-only, every day of 2002 is 18 by 31 Dec
      ['2003', '2020-12-31', 'minor', 'minor'], // year-only, at most 17
      ['1997', '2020-06-01', '18+', 'adult'], // year-only: 22 or 23 merges the bands
    ])('born %s, reported %s → %s, %s', (birthDate, reportedAt, band, minor) => {
      const sut = run(bands, born(birthDate, reportedAt));
      expect(sut.data).toEqual({ subject: { ageBandAtReport: band, minorOrAdult: minor } });
    });

    it('uses configured band edges', () => {
      const sut = run(['subject.birthDate: { generalise: age-band }'], aSignal(), { bands: '[18, 21, 30]' });
      expect(sut.data).toEqual({ subject: { ageBandAtReport: '18-20' } });
    });

    it('flags minor-uncertain once when two outputs straddle 18', () => {
      expect(run(bands, born('2002', '2020-06-01')).flags).toEqual(['minor-uncertain']);
    });
  });

  describe('several outputs of one field', () => {
    it('releases every output and names them all in the decision', () => {
      const sut = run([
        'subject.birthDate: [pseudonymise, { generalise: birth-year }, { generalise: minor-or-adult }]',
      ]);
      expect(sut.data).toEqual({ subject: { birthYear: 1999, minorOrAdult: 'adult' } });
      expect(sut.decisions.find((d) => d.field === 'subject.birthDate')?.outputs).toEqual([
        'subject.birthYear',
        'subject.minorOrAdult',
        'tokens.linkage',
      ]);
    });
  });

  describe('arrays', () => {
    it('forwards two leaves of the documents element by element and never the number', () => {
      const sut = run(
        ['subject.documents[].type: forward', 'subject.documents[].country: forward'],
        aSignal().withSubject({
          documents: [
            { type: 'passport', country: 'PL', number: 'EA1234567' },
            { type: 'residence-permit', number: 'V1234567' },
          ],
        }),
      );
      expect(sut.data).toEqual({
        subject: { documents: [{ type: 'passport', country: 'PL' }, { type: 'residence-permit' }] },
      });
    });
  });

  describe('missing optional fields', () => {
    it('releases nothing for a generalised field the signal does not hold', () => {
      const sut = run(
        ['subject.sex: forward', 'subject.address.postcode: { generalise: postcode-area }'],
        aSignal().without('subject.address'),
      );
      expect(sut.data).toEqual({ subject: { sex: 'female' } });
      expect(sut.decisions.some((d) => d.field.startsWith('subject.address'))).toBe(false);
    });

    it('derives no age without a birth date', () => {
      const sut = run(['subject.sex: forward'], aSignal().without('subject.birthDate'), {
        extra: ['derived: [age-at-report, minor]'],
      });
      expect([sut.data, sut.flags]).toEqual([{ subject: { sex: 'female' } }, ['age-unknown']]);
    });
  });

  describe('derived outputs', () => {
    const derived = (ids: string, builder = aSignal(), ctx: Partial<EvaluationContext> = {}) =>
      run(['subject.sex: drop'], builder, { extra: [`derived: [${ids}]`], ctx });

    it('derives the age at report', () => {
      expect(derived('age-at-report').data).toEqual({ subject: { ageAtReport: 20 } });
    });

    it('derives the lower age of a year-only birth date and flags it age-uncertain', () => {
      const sut = derived('age-at-report', born('2002', '2020-06-01'));
      expect([sut.data, sut.flags]).toEqual([{ subject: { ageAtReport: 17 } }, ['age-uncertain']]);
    });

    it.each([
      ['2002-06-02', false, true],
      ['2002-06-01', false, false],
      ['2002', true, true],
    ])('born %s, reported 2020-06-01: minor-uncertain %s, minor %s', (birthDate, uncertain, minor) => {
      const sut = derived('minor', born(birthDate, '2020-06-01'));
      expect([sut.data, sut.flags.includes('minor-uncertain')]).toEqual([{ subject: { minor } }, uncertain]);
    });

    it.each([
      [['NL'], 'domestic'],
      [['NL', 'BE'], 'cross-border'],
    ])('derives %j as %s', (countries, scope) => {
      expect(derived('cross-border', aSignal().withExploitation({ countries })).data).toEqual({
        exploitation: { scope },
      });
    });

    it('derives the dossier type from the purpose', () => {
      expect(derived('dossier-type').data).toEqual({ dossierType: 'registration' });
    });

    it("releases the reporting organisation's contact point from the context, not from the signal", () => {
      const sut = derived('contact-point', aSignal(), {
        reporter: { organisation: 'opvang-amsterdam', contactPoint: 'meldpunt@opvang.example' },
      });
      expect(sut.data).toEqual({ contact: { point: 'meldpunt@opvang.example' } });
    });

    it('attributes a derived output to the field it comes from', () => {
      expect(derived('age-at-report').decisions.find((d) => d.field === 'subject.birthDate')).toEqual({
        field: 'subject.birthDate',
        action: 'generalised',
        outputs: ['subject.ageAtReport'],
      });
    });
  });

  describe('structured grounds', () => {
    it('gives the ground as text and as structured data', () => {
      const sut = run(['subject.sex: forward']);
      expect([sut.legalGround, sut.ground]).toEqual([
        'AVG art. 6(1)(a); art. 9(2)(a)',
        { gdpr: ['6(1)(a)', '9(2)(a)'] },
      ]);
    });
  });
});
