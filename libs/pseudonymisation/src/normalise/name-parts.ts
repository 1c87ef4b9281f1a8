import { normaliseName } from './name.normaliser.js';

/**
 * Name particles that are left out of the core name tokens (Dutch tussenvoegsels, Arabic articles and
 * patronymic markers, Romance and German particles). Changing this list changes the `ndob`, `sdob`, `near`,
 * `phon`, `nyr` and `pyr` tokens, so it is a key rotation, not a patch.
 */
export const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'de',
  'der',
  'den',
  'het',
  'ter',
  'ten',
  'vd',
  'el',
  'al',
  'bin',
  'ibn',
  'ben',
  'bint',
  'abu',
  'ould',
  'von',
  'zu',
  'dos',
  'das',
  'del',
  'della',
]);
// Left out on purpose: short words that are family names elsewhere (Vietnamese Lê and Đỗ, Chinese Du, Di),
// and Romance 'da', 'di', 'la', 'le', 'y', 'e'.

/**
 * The tokens of one name part without particles; when a part is nothing but particles ('De', 'Van'), its
 * tokens are kept, so a real family name 'De' is not lost.
 *
 * @example
 * coreNameTokens('van der Berg'); // ['berg']
 * coreNameTokens('El-Amrani'); // ['amrani']
 */
export function coreNameTokens(part: string | undefined): string[] {
  if (typeof part !== 'string') return [];
  const tokens = normaliseName(part);
  const core = tokens.filter((token) => !NAME_PARTICLES.has(token));
  return core.length > 0 ? core : tokens;
}

/** The name parts the richer tokens use. */
export interface NameParts {
  /** Every core token of every part, deduplicated and sorted by code unit. */
  all: string[];
  /** The first core token of the given names; null without given names. */
  mainGiven: string | null;
  /** The core tokens of the family name, at most three (double and hyphenated family names). */
  family: string[];
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Core name parts of a subject: particles removed, hyphenated and double family names split into their
 * parts. Family-first orders and swapped fields are handled by the token inputs, which sort what they hash.
 *
 * @example
 * nameParts('Ahmed', 'el Amrani-Haddad'); // { all: ['ahmed', 'amrani', 'haddad'], mainGiven: 'ahmed', family: ['amrani', 'haddad'] }
 */
export function nameParts(givenNames: string | undefined, familyName: string | undefined): NameParts {
  const given = coreNameTokens(givenNames);
  const family = [...new Set(coreNameTokens(familyName))].slice(0, 3);
  const all = [...new Set([...given, ...coreNameTokens(familyName)])].sort(byCodeUnit);
  return { all, mainGiven: given[0] ?? null, family };
}

/**
 * The token itself and every variant with one character deleted: two strings within one edit (substitution,
 * insertion, deletion or adjacent transposition) share at least one of these (the symmetric-delete idea).
 *
 * @example
 * deletionVariants('ana'); // ['ana', 'na', 'aa', 'an']
 */
export function deletionVariants(token: string): string[] {
  const variants = new Set([token]);
  if (token.length > 1) {
    for (let i = 0; i < token.length; i++) variants.add(token.slice(0, i) + token.slice(i + 1));
  }
  return [...variants];
}
