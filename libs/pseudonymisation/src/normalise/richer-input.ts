import { COMPONENT_SEPARATOR, isFullDate, type SubjectIdentity } from './canonical-input.js';
import { deletionVariants, nameParts } from './name-parts.js';
import { phoneticKey } from './phonetic-key.js';

/** Month-day pairs that registrations use when the real birthday is unknown (01-01 and 01-07). */
export const STAND_IN_MONTH_DAYS: readonly string[] = ['01-01', '07-01'];

/** The kinds of the richer linkage tokens (besides `doc` and `nds`). */
export type RicherKind = 'ndob' | 'sdob' | 'near' | 'phon' | 'nyr' | 'nyrn' | 'pyr';

const YEAR = /^(\d{4})(?:-\d{2}(?:-\d{2})?)?$/;
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const join = (...components: string[]) => components.join(COMPONENT_SEPARATOR);
const sortedPair = (a: string, b: string) => [a, b].sort(byCodeUnit).join(' ');

/** Every name list (at least two tokens) with one token replaced by itself or a one-character deletion. */
function oneEditVariants(all: string[]): string[] {
  if (all.length < 2) return [];
  const out = new Set<string>();
  for (const [i, token] of all.entries()) {
    for (const variant of deletionVariants(token)) {
      out.add([...all.slice(0, i), variant, ...all.slice(i + 1)].sort(byCodeUnit).join(' '));
    }
  }
  return [...out];
}

/**
 * Whether a full birth date is one of the stand-in dates (1 January, 1 July).
 *
 * @example
 * isStandInBirthDate('1990-07-01'); // true
 */
export function isStandInBirthDate(birthDate: string): boolean {
  return isFullDate(birthDate) && STAND_IN_MONTH_DAYS.includes(birthDate.slice(5));
}

function birthYearOf(birthDate: string | undefined): number | null {
  if (typeof birthDate !== 'string') return null;
  const match = YEAR.exec(birthDate);
  if (!match) return null;
  if (birthDate.length === 10 && !isFullDate(birthDate)) return null;
  const year = Number(match[1]);
  return year >= 1000 ? year : null;
}

/**
 * The hashed inputs of the richer linkage tokens, by kind, each distinct and sorted; kinds whose inputs are
 * missing are absent (never filler values).
 * - `ndob`: main given name + one core family name (sorted pair) + full birth date; one per family part.
 * - `sdob`: the same, issued besides `ndob` when the birth date is a stand-in (01-01, 07-01): a marker that
 *   tells the register the date may be a placeholder (it then tolerates a year either side).
 * - `near`: all core name tokens (at least two) with one of them replaced by itself or a one-character deletion,
 *   sorted, + full birth date: two name lists that differ in one token by one edit share one (typos).
 * - `phon`: sorted phonetic keys of all core name tokens + full birth date.
 * - `nyr`: all core name tokens (sorted) + birth year; for a stand-in date also the years either side.
 * - `nyrn`: the `near` name lists + birth year, with the same years as `nyr` (typos in year-only reports).
 * - `pyr`: phonetic keys + birth year, with the same years as `nyr`.
 *
 * @example
 * richerInputs({ givenNames: 'Anna', familyName: 'Kowalska', birthDate: '1999-04-12' }).get('ndob');
 * // ['anna kowalska␟1999-04-12']
 */
export function richerInputs(subject: SubjectIdentity): Map<RicherKind, string[]> {
  const out = new Map<RicherKind, Set<string>>();
  const add = (kind: RicherKind, input: string) => out.set(kind, (out.get(kind) ?? new Set()).add(input));
  const parts = nameParts(subject.givenNames, subject.familyName);
  const year = birthYearOf(subject.birthDate);
  if (parts.all.length > 0) {
    const phonetic = [...new Set(parts.all.map(phoneticKey).filter((key) => key !== ''))].sort(byCodeUnit);
    const fullDate = isFullDate(subject.birthDate) ? subject.birthDate : null;
    const standIn = fullDate !== null && isStandInBirthDate(fullDate);
    if (fullDate && parts.mainGiven) {
      for (const family of parts.family) {
        if (family === parts.mainGiven) continue;
        add('ndob', join(sortedPair(parts.mainGiven, family), fullDate));
        if (standIn) add('sdob', join(sortedPair(parts.mainGiven, family), fullDate));
      }
    }
    if (fullDate) {
      for (const varied of oneEditVariants(parts.all)) add('near', join(varied, fullDate));
      if (phonetic.length > 0) add('phon', join(phonetic.join(' '), fullDate));
    }
    if (year !== null) {
      const years = standIn ? [year - 1, year, year + 1] : [year];
      for (const y of years) {
        add('nyr', join(parts.all.join(' '), String(y)));
        for (const varied of oneEditVariants(parts.all)) add('nyrn', join(varied, String(y)));
        if (phonetic.length > 0) add('pyr', join(phonetic.join(' '), String(y)));
      }
    }
  }
  return new Map([...out].map(([kind, inputs]) => [kind, [...inputs].sort(byCodeUnit)]));
}
