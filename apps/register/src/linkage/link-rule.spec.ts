import { describe, expect, it } from '@jest/globals';
import { linkReason, recordsLink } from './link-rule.js';
import type { LinkageSubject } from './linkage-subject.js';

const subject = (overrides: Partial<LinkageSubject> = {}): LinkageSubject => ({
  recordId: 'r',
  tokens: [],
  birthYear: null,
  sex: null,
  birthDateEstimated: false,
  ...overrides,
});
const nds = (value: string) => ({ kind: 'nds', value });
const doc = (value: string) => ({ kind: 'doc', value });
const kase = (value: string) => ({ kind: 'case', value });

describe(recordsLink.name, () => {
  const sut = recordsLink;

  it('links on a shared name/birth-date/sex token', () => {
    expect(sut(subject({ tokens: [nds('a')] }), subject({ tokens: [nds('a')] }))).toBe(true);
  });

  it('does not link on different tokens of the same kind', () => {
    expect(sut(subject({ tokens: [nds('a'), doc('x')] }), subject({ tokens: [nds('b'), doc('y')] }))).toBe(
      false,
    );
  });

  it('never links on a shared case reference', () => {
    expect(sut(subject({ tokens: [kase('c')] }), subject({ tokens: [kase('c')] }))).toBe(false);
  });

  it('does not link when the same value is of another kind', () => {
    expect(sut(subject({ tokens: [nds('a')] }), subject({ tokens: [doc('a')] }))).toBe(false);
  });

  it('links on a shared document when birth year and sex agree', () => {
    const a = subject({ tokens: [doc('d')], birthYear: 1999, sex: 'female' });
    expect(sut(a, subject({ tokens: [doc('d')], birthYear: 1999, sex: 'female' }))).toBe(true);
  });

  it('links on a shared document when both birth years and sexes are unknown', () => {
    expect(sut(subject({ tokens: [doc('d')] }), subject({ tokens: [doc('d')] }))).toBe(true);
  });

  it('does not link on a shared document when the sexes differ', () => {
    const a = subject({ tokens: [doc('d')], birthYear: 1999, sex: 'female' });
    expect(sut(a, subject({ tokens: [doc('d')], birthYear: 1999, sex: 'male' }))).toBe(false);
  });

  it('treats sex "unknown" as no conflict', () => {
    const a = subject({ tokens: [doc('d')], sex: 'female' });
    expect(sut(a, subject({ tokens: [doc('d')], sex: 'unknown' }))).toBe(true);
  });

  it('treats an absent sex as no conflict', () => {
    expect(sut(subject({ tokens: [doc('d')], sex: 'male' }), subject({ tokens: [doc('d')] }))).toBe(true);
  });

  it('does not link on a shared document when known birth years differ', () => {
    const a = subject({ tokens: [doc('d')], birthYear: 1999 });
    expect(sut(a, subject({ tokens: [doc('d')], birthYear: 2000 }))).toBe(false);
  });

  it('treats an absent birth year as no conflict', () => {
    expect(sut(subject({ tokens: [doc('d')], birthYear: 1999 }), subject({ tokens: [doc('d')] }))).toBe(true);
  });

  it('accepts one year apart when either birth date was estimated', () => {
    const a = subject({ tokens: [doc('d')], birthYear: 1999, birthDateEstimated: true });
    expect(sut(a, subject({ tokens: [doc('d')], birthYear: 2000 }))).toBe(true);
    expect(sut(subject({ tokens: [doc('d')], birthYear: 2000 }), a)).toBe(true);
  });

  it('refuses two years apart even when both birth dates were estimated', () => {
    const a = subject({ tokens: [doc('d')], birthYear: 1999, birthDateEstimated: true });
    expect(sut(a, subject({ tokens: [doc('d')], birthYear: 2001, birthDateEstimated: true }))).toBe(false);
  });

  it('still links on name/birth-date/sex when a shared document conflicts', () => {
    const a = subject({ tokens: [nds('n'), doc('d')], birthYear: 1999, sex: 'female' });
    expect(sut(a, subject({ tokens: [nds('n'), doc('d')], birthYear: 1990, sex: 'male' }))).toBe(true);
  });
});

describe(linkReason.name, () => {
  const sut = linkReason;
  const t = (kind: string, value: string) => ({ kind, value });
  const sdob = t('sdob', 's');

  it('links on main names and full birth date without looking at sex', () => {
    const a = subject({ tokens: [t('ndob', 'n')], sex: 'female' });
    expect(sut(a, subject({ tokens: [t('ndob', 'n')], sex: 'male' }))).toBeNull();
  });

  it('links on main names and full birth date when the sex of one is unknown', () => {
    const a = subject({ tokens: [t('ndob', 'n')], sex: 'female' });
    expect(sut(a, subject({ tokens: [t('ndob', 'n')], sex: 'unknown' }))).toEqual(['ndob']);
  });

  it('does not link on nds when either birth date is an estimate', () => {
    const estimated = subject({ tokens: [nds('a'), sdob], birthDateEstimated: true });
    expect(sut(estimated, subject({ tokens: [nds('a')] }))).toBeNull();
  });

  it('does not link on main names and date when either birth date is an estimate', () => {
    const estimated = subject({ tokens: [t('ndob', 'n')], birthDateEstimated: true });
    expect(sut(estimated, subject({ tokens: [t('ndob', 'n')] }))).toBeNull();
  });

  it('links on a near-name token without conflict', () => {
    expect(sut(subject({ tokens: [t('near', 'x')] }), subject({ tokens: [t('near', 'x')] }))).toEqual([
      'near',
    ]);
  });

  it('does not link on a phonetic key alone', () => {
    expect(sut(subject({ tokens: [t('phon', 'p')] }), subject({ tokens: [t('phon', 'p')] }))).toBeNull();
  });

  it('links on a phonetic key when both sexes are known and equal', () => {
    const a = subject({ tokens: [t('phon', 'p')], sex: 'male' });
    expect(sut(a, subject({ tokens: [t('phon', 'p')], sex: 'male' }))).toEqual(['phon', 'sex']);
  });

  it.each(['nyr', 'pyr'])('never links a pair on %s alone', (kind) => {
    const a = subject({ tokens: [t(kind, 'y')], sex: 'male', birthYear: 1990 });
    expect(sut(a, subject({ tokens: [t(kind, 'y')], sex: 'male', birthYear: 1990 }))).toBeNull();
  });

  it('accepts a year apart when either date is a stand-in', () => {
    const a = subject({ tokens: [doc('d'), sdob], birthYear: 1990 });
    expect(sut(a, subject({ tokens: [doc('d')], birthYear: 1991 }))).toEqual(['doc']);
  });
});
