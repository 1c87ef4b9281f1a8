import { describe, expect, it } from '@jest/globals';
import { reportYearInAmsterdam } from './report-year.js';

describe(reportYearInAmsterdam.name, () => {
  const sut = reportYearInAmsterdam;

  it('takes the year of a plain date', () => {
    expect(sut('2020-12-31')).toBe(2020);
  });

  it('moves a UTC late evening on 31 December into the next year', () => {
    expect(sut('2020-12-31T23:30:00Z')).toBe(2021);
  });

  it('keeps a late evening in Amsterdam time in its own year', () => {
    expect(sut('2020-12-31T23:59:00+01:00')).toBe(2020);
  });

  it('moves an early new-year morning written in a western offset back', () => {
    expect(sut('2021-01-01T00:30:00+02:00')).toBe(2020);
  });

  it('converts with the winter offset of one hour', () => {
    expect(sut('2019-12-31T22:59:59Z')).toBe(2019);
  });

  it('refuses a value that is no date', () => {
    expect(() => sut('not-a-date')).toThrow(RangeError);
  });
});
