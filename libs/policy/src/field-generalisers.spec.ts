import { describe, expect, it } from '@jest/globals';
import { countryRegion } from './country-region.js';
import {
  countryRegions,
  exploitationScope,
  generaliseDate,
  maskValue,
  minorOrAdult,
  postcodeArea,
} from './field-generalisers.js';

describe(minorOrAdult.name, () => {
  it.each([
    [{ min: 17, max: 17 }, 'minor'],
    [{ min: 18, max: 18 }, 'adult'],
    [{ min: 17, max: 18 }, 'minor-uncertain'],
  ] as const)('%j → %s', (age, expected) => {
    expect(minorOrAdult(age)).toBe(expected);
  });
});

describe(postcodeArea.name, () => {
  it.each(['5211 AB', '5211AB', ' 5211 ab '])('keeps the four digits of %j', (value) => {
    expect(postcodeArea(value, 'subject.address.postcode')).toBe('5211');
  });

  it('refuses a postcode that is not Dutch, naming the field and not the value', () => {
    expect(() => postcodeArea('SW1A 1AA', 'subject.address.postcode')).toThrow(
      expect.objectContaining({
        code: 'POLICY.TRANSFORM_FAILED',
        field: 'subject.address.postcode',
        message: expect.not.stringContaining('SW1A') as unknown as string,
      }),
    );
  });
});

describe(generaliseDate.name, () => {
  it.each([
    ['2020-03-14', 'month', '2020-03'],
    ['2020-03-14', 'date', '2020-03-14'],
    ['2020-12-31T23:30:00Z', 'date', '2021-01-01'],
    ['2020-12-31T23:30:00Z', 'month', '2021-01'],
    ['2019-11', 'date', '2019-11'],
    ['2019', 'month', '2019'],
  ] as const)('%s at %s precision → %s', (value, precision, expected) => {
    expect(generaliseDate(value, precision, 'reportedAt')).toBe(expected);
  });
});

describe(countryRegions.name, () => {
  it('gives each region once, in a fixed order', () => {
    expect(countryRegions(['NG', 'PL', 'DE', 'UA', 'CN', 'BR', 'AU', 'AQ'])).toEqual([
      'eu-eea',
      'europe-other',
      'africa',
      'asia',
      'americas',
      'oceania',
      'other',
    ]);
  });

  it('counts Norway as EU/EEA and the United Kingdom as the rest of Europe', () => {
    expect([countryRegion('NO'), countryRegion('GB')]).toEqual(['eu-eea', 'europe-other']);
  });
});

describe(maskValue.name, () => {
  it('keeps the first and last characters', () => {
    expect(maskValue('POL-2020-001234', 4, 2)).toBe('POL-*********34');
  });

  it('masks a value no longer than what it would keep entirely', () => {
    expect(maskValue('AB12', 2, 2)).toBe('****');
  });
});

describe(exploitationScope.name, () => {
  it.each([
    [['NL'], 'domestic'],
    [['NL', 'BE'], 'cross-border'],
    [['PL'], 'cross-border'],
  ])('%j → %s', (countries, expected) => {
    expect(exploitationScope(countries)).toBe(expected);
  });
});
