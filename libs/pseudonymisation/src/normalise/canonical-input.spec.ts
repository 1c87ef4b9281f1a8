import { describe, expect, it } from '@jest/globals';
import { canonicalDocumentInput, canonicalNdsInput, normaliseCaseReference } from './canonical-input.js';

const US = '\u001f';
const anna = { givenNames: 'Anna Maria', familyName: 'Kowalska', birthDate: '1999-04-12', sex: 'female' };

describe(canonicalDocumentInput.name, () => {
  const sut = canonicalDocumentInput;

  it('joins type, country and number with the unit separator', () => {
    expect(sut({ type: 'passport', country: 'pl', number: 'EA 123 4567' })).toBe(
      `passport${US}PL${US}EA1234567`,
    );
  });

  it('keeps an empty country slot when the country is absent', () => {
    expect(sut({ type: 'bsn', number: '123456782' })).toBe(`bsn${US}${US}123456782`);
  });

  it('returns null for a number that normalises to nothing', () => {
    expect(sut({ type: 'passport', country: 'PL', number: ' - ' })).toBeNull();
  });
});

describe(canonicalNdsInput.name, () => {
  const sut = canonicalNdsInput;

  it('joins sorted name tokens, birth date and sex', () => {
    expect(sut(anna)).toBe(`anna kowalska maria${US}1999-04-12${US}female`);
  });

  it.each(['1999', '1999-04', '1999-02-30', '12-04-1999', ''])(
    'returns null for birth date %j',
    (birthDate) => {
      expect(sut({ ...anna, birthDate })).toBeNull();
    },
  );

  it('returns null without a birth date', () => {
    expect(sut({ ...anna, birthDate: undefined })).toBeNull();
  });

  it.each(['unknown', undefined, 'f'])('returns null for sex %j', (sex) => {
    expect(sut({ ...anna, sex })).toBeNull();
  });

  it('returns null without name tokens', () => {
    expect(sut({ ...anna, givenNames: ' ', familyName: undefined })).toBeNull();
  });
});

describe(normaliseCaseReference.name, () => {
  it('trims, upper-cases and collapses white space', () => {
    expect(normaliseCaseReference('  pol-2020  001234 ')).toBe('POL-2020 001234');
  });
});
