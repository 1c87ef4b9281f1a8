import { describe, expect, it } from '@jest/globals';
import { ageGroupOf, ageGroupOfBand, BREAKDOWN_DEFINITIONS, sexOf, type YearRecord } from './breakdown.js';

const aYearRecord = (
  overrides: Partial<YearRecord> & { subject?: object; exploitation?: object } = {},
): YearRecord => ({
  personId: 'p1',
  recordId: overrides.recordId ?? 'r1',
  reporterType: overrides.reporterType ?? 'police',
  reportedAt: overrides.reportedAt ?? '2020-05-01',
  sexualExploitationOnly: false,
  dossierType: overrides.dossierType ?? 'registration',
  data: { subject: overrides.subject ?? {}, exploitation: overrides.exploitation ?? {} },
});

describe(ageGroupOfBand.name, () => {
  it.each([
    ['minor', 'minor'],
    ['18-22', '18-22'],
    ['23+', '23+'],
    ['minor-uncertain', 'minor-uncertain'],
    ['18+', 'adult-uncertain'],
    [undefined, 'unknown'],
    ['nonsense', 'unknown'],
  ])('maps the band %s to the age group %s', (band, group) => {
    expect(ageGroupOfBand(band)).toBe(group);
  });
});

describe(ageGroupOf.name, () => {
  it('takes the band of the earliest report of the year with a definite band', () => {
    const sut = ageGroupOf([
      aYearRecord({ recordId: 'r2', reportedAt: '2020-11-01', subject: { ageBandAtReport: '18-22' } }),
      aYearRecord({ recordId: 'r1', reportedAt: '2020-02-01', subject: { ageBandAtReport: 'minor' } }),
    ]);
    expect(sut).toBe('minor');
  });

  it('prefers a definite band over an earlier uncertain one', () => {
    const sut = ageGroupOf([
      aYearRecord({
        recordId: 'r1',
        reportedAt: '2020-02-01',
        subject: { ageBandAtReport: 'minor-uncertain' },
      }),
      aYearRecord({ recordId: 'r2', reportedAt: '2020-03-01', subject: { ageBandAtReport: '23+' } }),
    ]);
    expect(sut).toBe('23+');
  });

  it('keeps minor-uncertain apart from merged adult bands', () => {
    const sut = ageGroupOf([
      aYearRecord({ recordId: 'r1', subject: { ageBandAtReport: '18+' } }),
      aYearRecord({ recordId: 'r2', subject: { ageBandAtReport: 'minor-uncertain' } }),
    ]);
    expect(sut).toBe('minor-uncertain');
  });

  it('says unknown when no report has a band', () => {
    expect(ageGroupOf([aYearRecord()])).toBe('unknown');
  });
});

describe(sexOf.name, () => {
  it('takes the one known sex of the records', () => {
    expect(
      sexOf([aYearRecord({ subject: { sex: 'unknown' } }), aYearRecord({ subject: { sex: 'male' } })]),
    ).toBe('male');
  });

  it('says unknown when the records disagree', () => {
    expect(
      sexOf([aYearRecord({ subject: { sex: 'female' } }), aYearRecord({ subject: { sex: 'male' } })]),
    ).toBe('unknown');
  });
});

describe('BREAKDOWN_DEFINITIONS', () => {
  it('puts a person in every exploitation form of their reports of the year', () => {
    const sut = BREAKDOWN_DEFINITIONS['exploitation-form'];
    const records = [
      aYearRecord({ exploitation: { forms: ['sexual'] } }),
      aYearRecord({ exploitation: { forms: ['labour', 'sexual'] } }),
    ];
    expect(sut.categoriesOf(records)).toEqual(['labour', 'sexual']);
  });

  it('puts a person without forms in unknown', () => {
    expect(BREAKDOWN_DEFINITIONS['exploitation-form'].categoriesOf([aYearRecord()])).toEqual(['unknown']);
  });

  it('puts a person in every reporter type that reported them', () => {
    const records = [aYearRecord({ reporterType: 'kmar' }), aYearRecord({ reporterType: 'police' })];
    expect(BREAKDOWN_DEFINITIONS['reporter-type'].categoriesOf(records)).toEqual(['kmar', 'police']);
  });

  it('puts a person in every nationality of their reports', () => {
    const records = [
      aYearRecord({ subject: { nationalities: ['PL'] } }),
      aYearRecord({ subject: { nationalities: ['NG', 'PL'] } }),
    ];
    expect(BREAKDOWN_DEFINITIONS.nationality.categoriesOf(records)).toEqual(['NG', 'PL']);
  });

  it('reads the police unit of the exploitation', () => {
    const records = [aYearRecord({ exploitation: { policeUnit: 'oost-brabant' } })];
    expect(BREAKDOWN_DEFINITIONS['police-unit'].categoriesOf(records)).toEqual(['oost-brabant']);
  });

  it('maps a dossier type it does not know to other', () => {
    const records = [
      aYearRecord({ dossierType: 'registration-and-shelter' }),
      aYearRecord({ dossierType: 'x' }),
    ];
    expect(BREAKDOWN_DEFINITIONS['dossier-type'].categoriesOf(records)).toEqual([
      'other',
      'registration-and-shelter',
    ]);
  });
});
