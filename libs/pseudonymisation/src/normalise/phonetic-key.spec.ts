import { describe, expect, it } from '@jest/globals';
import { normaliseName } from './name.normaliser.js';
import { phoneticKey } from './phonetic-key.js';

const keyOf = (name: string) => normaliseName(name).map(phoneticKey).join(' ');

describe(phoneticKey.name, () => {
  const sut = phoneticKey;

  it.each([
    ['Mohammed', 'Mohamed'],
    ['Mohammed', 'Muhammad'],
    ['Yordanova', 'Iordanova'],
    ['Łukasz', 'Lukasz'],
    ['Müller', 'Mueller'],
    ['Youssef', 'Yusuf'],
    ['Khaled', 'Khalid'],
    ['Wojciech', 'Vojciech'],
    ['Schröder', 'Schroeder'],
    ['Йорданова', 'Yordanova'],
    ['محمد', 'Mohammed'],
    ['Nguyễn', 'Nguyen'],
    ['Kovács', 'Kovacs'],
  ])('gives %s and %s the same key', (a, b) => {
    expect(keyOf(a)).toBe(keyOf(b));
  });

  it.each([
    ['Kowalska', 'Nowak'],
    ['Anna', 'Maria'],
    ['Petrov', 'Popescu'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(keyOf(a)).not.toBe(keyOf(b));
  });

  it('returns an empty key for an empty token', () => {
    expect(sut('')).toBe('');
  });

  it('only yields a-z and 0-9', () => {
    expect(/^[a-z0-9]+$/.test(sut('abdelkader'))).toBe(true);
  });
});
