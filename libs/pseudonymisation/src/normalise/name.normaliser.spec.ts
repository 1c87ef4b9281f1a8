import { describe, expect, it } from '@jest/globals';
import { normaliseName, normaliseNameTokens } from './name.normaliser.js';

describe(normaliseName.name, () => {
  const sut = normaliseName;

  it('strips diacritics', () => {
    expect(sut('Dvořák Jiří')).toEqual(['dvorak', 'jiri']);
  });

  it('transliterates Cyrillic to Latin', () => {
    expect(sut('Иванова')).toEqual(['ivanova']);
  });

  it('folds case', () => {
    expect(sut('KOWALSKA')).toEqual(sut('kowalska'));
  });

  it('applies NFKC, so compatibility forms equal their plain letters', () => {
    expect(sut('ｋｏｗａｌｓｋａ')).toEqual(['kowalska']);
  });

  it('treats decomposed and precomposed diacritics alike', () => {
    expect(sut('Mu\u0308ller')).toEqual(sut('M\u00fcller'));
  });

  it('removes straight and typographic apostrophes inside a name', () => {
    expect([sut("O'Brien"), sut('O\u2019Brien'), sut('O\u02bcBrien')]).toEqual([
      ['obrien'],
      ['obrien'],
      ['obrien'],
    ]);
  });

  it('splits on hyphens, dots, commas and runs of white space', () => {
    expect(sut(' Jean-Luc,\tA.  Picard ')).toEqual(['jean', 'luc', 'a', 'picard']);
  });

  it('returns no tokens for a name of separators only', () => {
    expect(sut(" - ' . ")).toEqual([]);
  });

  it('only ever yields tokens of a-z and 0-9', () => {
    expect(sut('Ωμέγα 北京 «Zoë» 🙂 محمد').every((token) => /^[a-z0-9]+$/.test(token))).toBe(true);
  });
});

describe(normaliseNameTokens.name, () => {
  const sut = normaliseNameTokens;

  it('makes the order of given and family names irrelevant', () => {
    expect(sut('Kowalska Anna')).toEqual(sut('Anna', 'Kowalska'));
  });

  it('sorts by code unit, independent of locale', () => {
    expect(sut('zoe', 'Anna', 'maria')).toEqual(['anna', 'maria', 'zoe']);
  });

  it('drops duplicate tokens across parts', () => {
    expect(sut('Anna Kowalska', 'Kowalska')).toEqual(['anna', 'kowalska']);
  });

  it('skips absent parts', () => {
    expect(sut(undefined, 'Kowalska', undefined)).toEqual(['kowalska']);
  });
});
