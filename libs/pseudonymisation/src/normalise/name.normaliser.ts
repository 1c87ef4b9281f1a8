import { foldToAscii } from './transliterate.js';

/** Apostrophes and quotes join what they separate (O'Brien → obrien); any-ascii maps ’ ʼ ‘ to these. */
const JOINERS = /['"`]/g;
/** Everything else outside a-z and 0-9 (spaces, hyphens, dots, commas, …) separates tokens. */
const SEPARATORS = /[^a-z0-9]+/;

/**
 * Name tokens after normalisation, in input order: NFKC, case folding, any-ascii transliteration (which also
 * strips diacritics), apostrophes and quotes removed, split on everything else that is not a-z or 0-9.
 * Every token matches `[a-z0-9]+`.
 *
 * @example
 * normaliseName("O'Brien-Smith"); // ['obrien', 'smith']
 * normaliseName('Иванова'); // ['ivanova']
 */
export function normaliseName(value: string): string[] {
  if (typeof value !== 'string') return [];
  return foldToAscii(value)
    .replace(JOINERS, '')
    .split(SEPARATORS)
    .filter((token) => token.length > 0);
}

/**
 * All name tokens of all parts (given names, family name, …), deduplicated and sorted by code unit, so that
 * order and the split over fields do not matter ('Kowalska Anna' equals 'Anna' + 'Kowalska'). Deduplicated,
 * because a name repeated across fields (a full name in given names and again in family name) is one name.
 *
 * @example
 * normaliseNameTokens('Anna Maria', 'Kowalska'); // ['anna', 'kowalska', 'maria']
 */
export function normaliseNameTokens(...parts: (string | undefined)[]): string[] {
  const tokens = new Set<string>();
  for (const part of parts) {
    if (part !== undefined) for (const token of normaliseName(part)) tokens.add(token);
  }
  return [...tokens].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
