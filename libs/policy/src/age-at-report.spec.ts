import { describe, expect, it } from '@jest/globals';
import { addRetention, ageAtReport, ageBand, reportDate } from './age-at-report.js';

describe(ageAtReport.name, () => {
  it.each([
    ['2002-03-14', '2020-03-14', { min: 18, max: 18 }],
    ['2002-03-15', '2020-03-14', { min: 17, max: 17 }],
    ['2001-12-31', '2019-12-31', { min: 18, max: 18 }],
    ['2001-12-31', '2019-12-30', { min: 17, max: 17 }],
    ['2002-01-01', '2020-01-01', { min: 18, max: 18 }],
    ['2002-01-01', '2019-12-31', { min: 17, max: 17 }],
    ['2002', '2020-06-01', { min: 17, max: 18 }],
    ['2002', '2020-12-31', { min: 18, max: 18 }],
    ['2002', '2020-01-01', { min: 17, max: 18 }],
    ['2002-06', '2020-06-15', { min: 17, max: 18 }],
    ['2002-06', '2020-07-01', { min: 18, max: 18 }],
    ['2020', '2020-03-14', { min: 0, max: 0 }],
    ['2004-02-29', '2021-02-28', { min: 16, max: 16 }],
  ])('gives %s reported %s the age range %j', (birthDate, reportedAt, expected) => {
    expect(ageAtReport(birthDate, reportedAt)).toEqual(expected);
  });

  it('uses the Europe/Amsterdam date of a date-time', () => {
    expect(ageAtReport('2003-01-01', '2020-12-31T23:30:00Z')).toEqual({ min: 18, max: 18 });
  });

  it('refuses a birth date after the report date, naming the field only', () => {
    expect(() => ageAtReport('2021-01-01', '2020-12-31')).toThrow(
      expect.objectContaining({ code: 'POLICY.TRANSFORM_FAILED', field: 'subject.birthDate' }),
    );
  });
});

describe(ageBand.name, () => {
  it.each([
    [{ min: 17, max: 17 }, 'minor'],
    [{ min: 18, max: 18 }, '18-22'],
    [{ min: 22, max: 22 }, '18-22'],
    [{ min: 23, max: 23 }, '23+'],
    [{ min: 17, max: 18 }, 'minor-uncertain'],
    [{ min: 22, max: 23 }, '18+'],
  ])('puts %j in band %s', (age, band) => {
    expect(ageBand(age, [18, 23])).toBe(band);
  });

  it('closes inner bands with the next edge', () => {
    expect(ageBand({ min: 30, max: 31 }, [18, 25, 35, 50])).toBe('25-34');
  });
});

describe(reportDate.name, () => {
  it('keeps a plain date', () => {
    expect(reportDate('2020-03-14')).toEqual({ year: 2020, month: 3, day: 14 });
  });

  it('takes the Amsterdam calendar date of a date-time with an offset', () => {
    expect(reportDate('2021-06-30T22:30:00Z')).toEqual({ year: 2021, month: 7, day: 1 });
  });
});

describe(addRetention.name, () => {
  it.each([
    ['P10Y', '2030-03-14'],
    ['P18M', '2021-09-14'],
    ['P2W', '2020-03-28'],
    ['P1Y1M20D', '2021-05-04'],
  ])('adds %s to 2020-03-14', (duration, expected) => {
    expect(addRetention({ year: 2020, month: 3, day: 14 }, duration)).toBe(expected);
  });

  it('clamps a day past the end of the month', () => {
    expect(addRetention({ year: 2020, month: 2, day: 29 }, 'P1Y')).toBe('2021-02-28');
  });
});
