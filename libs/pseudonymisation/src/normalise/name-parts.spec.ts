import { describe, expect, it } from '@jest/globals';
import { coreNameTokens, deletionVariants, nameParts } from './name-parts.js';

describe(coreNameTokens.name, () => {
  const sut = coreNameTokens;

  it.each([
    ['van der Berg', ['berg']],
    ['de Vries', ['vries']],
    ['El Amrani', ['amrani']],
    ['Al-Khatib', ['khatib']],
    ['bin Laden', ['laden']],
    ['Ben Ali', ['ali']],
  ])('drops the particles of %s', (input, tokens) => {
    expect(sut(input)).toEqual(tokens);
  });

  it('keeps a family name that is nothing but a particle', () => {
    expect(sut('De')).toEqual(['de']);
  });

  it('keeps the Vietnamese family name Lê', () => {
    expect(sut('Lê Minh Khai')).toEqual(['le', 'minh', 'khai']);
  });

  it('transliterates Cyrillic', () => {
    expect(sut('Йорданова')).toEqual(['yordanova']);
  });

  it('strips Vietnamese diacritics', () => {
    expect(sut('Nguyễn Thị Hương')).toEqual(['nguyen', 'thi', 'huong']);
  });

  it('transliterates Arabic script to its consonants', () => {
    expect(sut('محمد')).toEqual(['mhmd']);
  });
});

describe(nameParts.name, () => {
  const sut = nameParts;

  it('takes the first given name as the main given name', () => {
    expect(sut('Anna Maria', 'Kowalska').mainGiven).toBe('anna');
  });

  it('splits a hyphenated family name into its parts', () => {
    expect(sut('Ngozi', 'Chukwuemeka-Okafor').family).toEqual(['chukwuemeka', 'okafor']);
  });

  it('splits a double family name into its parts', () => {
    expect(sut('María', 'García López').family).toEqual(['garcia', 'lopez']);
  });

  it('gives the same name list for Hungarian family-first order in one field', () => {
    expect(sut('Nagy Katalin', undefined).all).toEqual(sut('Katalin', 'Nagy').all);
  });

  it('gives the same name list with and without Dutch particles', () => {
    expect(sut('Sanne', 'van der Berg').all).toEqual(sut('Sanne', 'Berg').all);
  });

  it('gives the same name list with and without diacritics (Łukasz Müller)', () => {
    expect(sut('Łukasz', 'Müller').all).toEqual(sut('Lukasz', 'Muller').all);
  });

  it('gives the same name list for Cyrillic and its transliteration', () => {
    expect(sut('Мария', 'Петрова').all).toEqual(sut('Mariya', 'Petrova').all);
  });
});

describe(deletionVariants.name, () => {
  const sut = deletionVariants;

  it('lists the token and each one-character deletion', () => {
    expect(sut('ana')).toEqual(['ana', 'na', 'aa', 'an']);
  });

  it('shares a variant between two spellings one transposition apart', () => {
    expect(sut('kowalska').some((v) => sut('kowalksa').includes(v))).toBe(true);
  });

  it('shares a variant between two spellings one insertion apart', () => {
    expect(sut('muller').some((v) => sut('mueller').includes(v))).toBe(true);
  });
});
