import { parsePartialDate } from '@ketenpoort/signal-contract';
import { reportDate } from './age-at-report.js';
import { countryRegion, type Region } from './country-region.js';
import { PolicyError } from './policy.error.js';

/** Below this age a subject is a minor (the first age band edge). */
export const MINOR_AGE = 18;

/** An age range in whole years, as a partial birth date allows it. */
export type AgeRange = { min: number; max: number };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function failed(field: string, what: string): PolicyError {
  return new PolicyError('POLICY.TRANSFORM_FAILED', `${field}: ${what}`, field);
}

/**
 * `minor` (under 18), `adult`, or `minor-uncertain` when the age range straddles 18 (a year-only birth date).
 *
 * @example minorOrAdult({ min: 17, max: 18 }) // 'minor-uncertain'
 */
export function minorOrAdult(age: AgeRange): 'minor' | 'adult' | 'minor-uncertain' {
  if (age.max < MINOR_AGE) return 'minor';
  if (age.min >= MINOR_AGE) return 'adult';
  return 'minor-uncertain';
}

/**
 * The postcode area of a Dutch postcode: its four digits (`5211 AB` → `5211`). Anything else fails the
 * transformation (the signal is refused, naming the field, not the value).
 *
 * @example postcodeArea('5211 AB', 'subject.address.postcode') // '5211'
 */
export function postcodeArea(value: string, field: string): string {
  const match = /^\s*([1-9][0-9]{3})\s?[A-Za-z]{2}\s*$/.exec(value);
  if (!match) throw failed(field, 'not a Dutch postcode (four digits and two letters)');
  return match[1];
}

/**
 * A date or date-time at most as precise as `precision`: a date-time becomes its date in Europe/Amsterdam; a value
 * already coarser stays as it is.
 *
 * @example generaliseDate('2020-03-14T23:30:00Z', 'month', 'reportedAt') // '2020-03'
 */
export function generaliseDate(value: string, precision: 'date' | 'month', field: string): string {
  const partial = parsePartialDate(value);
  let year: number, month: number | undefined, day: number | undefined;
  if (partial) {
    ({ year, month, day } = partial);
  } else {
    try {
      ({ year, month, day } = reportDate(value));
    } catch {
      throw failed(field, 'not a date or date-time');
    }
  }
  if (month === undefined) return pad(year, 4);
  if (precision === 'month' || day === undefined) return `${pad(year, 4)}-${pad(month)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * The regions of a list of ISO 3166-1 alpha-2 codes, each once, in the order of REGIONS.
 *
 * @example countryRegions(['PL', 'NG', 'DE']) // ['eu-eea', 'africa']
 */
export function countryRegions(codes: readonly string[]): Region[] {
  const regions = new Set(codes.map(countryRegion));
  return (['eu-eea', 'europe-other', 'africa', 'asia', 'americas', 'oceania', 'other'] as const).filter(
    (region) => regions.has(region),
  );
}

/**
 * Keeps the first `first` and last `last` characters and replaces the rest with `*`; a value no longer than
 * first + last is masked entirely (keeping all of it would be forwarding).
 *
 * @example maskValue('POL-2020-001234', 4, 2) // 'POL-*********34'
 */
export function maskValue(value: string, first: number, last: number): string {
  const chars = [...value];
  if (first + last >= chars.length) return '*'.repeat(chars.length);
  return (
    chars.slice(0, first).join('') +
    '*'.repeat(chars.length - first - last) +
    chars.slice(chars.length - last).join('')
  );
}

/**
 * `domestic` when the countries of exploitation are exactly the Netherlands, otherwise `cross-border`.
 *
 * @example exploitationScope(['NL']) // 'domestic'
 */
export function exploitationScope(countries: readonly string[]): 'domestic' | 'cross-border' {
  return countries.length > 0 && countries.every((code) => code.toUpperCase() === 'NL')
    ? 'domestic'
    : 'cross-border';
}
