import { describe, expect, it } from '@jest/globals';
import { normaliseCountry, normaliseDocumentNumber, normaliseDocumentType } from './document.normaliser.js';

describe(normaliseDocumentNumber.name, () => {
  const sut = normaliseDocumentNumber;

  it('removes spaces, dashes, dots and slashes', () => {
    expect(sut(' EA 12-34.56/7 ')).toBe('EA1234567');
  });

  it('upper-cases', () => {
    expect(sut('ea1234567')).toBe('EA1234567');
  });

  it('transliterates non-Latin characters', () => {
    expect(sut('ЕА1234567')).toBe('EA1234567');
  });

  it('maps full-width digits through NFKC', () => {
    expect(sut('ＥＡ１２３')).toBe('EA123');
  });

  it('returns an empty string when nothing is left', () => {
    expect(sut(' - / ')).toBe('');
  });
});

describe(normaliseDocumentType.name, () => {
  it('lower-cases and joins words with a hyphen', () => {
    expect(normaliseDocumentType(' Residence Permit ')).toBe('residence-permit');
  });
});

describe(normaliseCountry.name, () => {
  it('upper-cases a country code', () => {
    expect(normaliseCountry(' pl ')).toBe('PL');
  });

  it('gives an empty string when the country is absent', () => {
    expect(normaliseCountry(undefined)).toBe('');
  });
});
