import type { LinkageSubject } from './linkage-subject.js';

/** Name + full birth date + sex: a shared token links two records (unless the date is a stand-in). */
export const NAME_BIRTH_DATE_SEX = 'nds';
/** One identity document: forged documents are shared by several people, so it links only without conflict. */
export const IDENTITY_DOCUMENT = 'doc';
/** Main given name + a core family name + full birth date (no sex): links without a birth-year conflict. */
export const MAIN_NAMES_BIRTH_DATE = 'ndob';
/** Marker issued besides `ndob` for a stand-in birth date (01-01, 07-01): the date may be a placeholder. */
export const STAND_IN_BIRTH_DATE = 'sdob';
/** Main names within one deleted character + full birth date: links without conflict (one-letter typos). */
export const NEAR_NAMES_BIRTH_DATE = 'near';
/** Phonetic name keys + full birth date: weak, links only with a second agreement (both sexes known, equal). */
export const PHONETIC_BIRTH_DATE = 'phon';
/** All core name tokens + birth year: weak, links only as the unique candidate (see `personPartition`). */
export const NAMES_BIRTH_YEAR = 'nyr';
/** All core name tokens within one edit + birth year: weak, as `nyr`. */
export const NEAR_NAMES_BIRTH_YEAR = 'nyrn';
/** Phonetic keys + birth year: weak, as `nyr`. */
export const PHONETIC_BIRTH_YEAR = 'pyr';

/** The token kinds that can link records; a case reference (`case`) never links persons. */
export const LINKING_TOKEN_KINDS: readonly string[] = [
  NAME_BIRTH_DATE_SEX,
  IDENTITY_DOCUMENT,
  MAIN_NAMES_BIRTH_DATE,
  STAND_IN_BIRTH_DATE,
  NEAR_NAMES_BIRTH_DATE,
  PHONETIC_BIRTH_DATE,
  NAMES_BIRTH_YEAR,
  NEAR_NAMES_BIRTH_YEAR,
  PHONETIC_BIRTH_YEAR,
];
/** Weak kinds that link a record to a person only when that person is the one candidate for the key. */
export const UNIQUE_CANDIDATE_KINDS: readonly string[] = [
  NAMES_BIRTH_YEAR,
  NEAR_NAMES_BIRTH_YEAR,
  PHONETIC_BIRTH_YEAR,
];
/** Kinds that only a record with a real (not stand-in) full birth date carries. */
const DATED_KINDS: readonly string[] = [MAIN_NAMES_BIRTH_DATE, NEAR_NAMES_BIRTH_DATE, PHONETIC_BIRTH_DATE];

const knownSex = (sex: string | null): string | null => (sex && sex !== 'unknown' ? sex : null);
const has = (s: LinkageSubject, kind: string) => s.tokens.some((t) => t.kind === kind);

/** The record's birth date is a stand-in (it carries an `sdob` token). */
export function hasStandInBirthDate(s: LinkageSubject): boolean {
  return has(s, STAND_IN_BIRTH_DATE);
}

/**
 * The record's full birth date is an estimate (released `birthDateEstimated`): its date-based tokens do not
 * link, and it counts as undated for the unique-candidate rule.
 */
export function hasEstimatedBirthDate(s: LinkageSubject): boolean {
  return s.birthDateEstimated;
}

/** The record carries a full birth date that is not an estimate. */
export function isDated(s: LinkageSubject): boolean {
  return !hasEstimatedBirthDate(s) && DATED_KINDS.some((kind) => has(s, kind));
}

/** Both sexes known and different. Unknown or absent sex is no conflict. */
export function sexConflicts(a: LinkageSubject, b: LinkageSubject): boolean {
  const [sa, sb] = [knownSex(a.sex), knownSex(b.sex)];
  return sa !== null && sb !== null && sa !== sb;
}

/** Both sexes known and equal. */
export function sexAgrees(a: LinkageSubject, b: LinkageSubject): boolean {
  const sa = knownSex(a.sex);
  return sa !== null && sa === knownSex(b.sex);
}

/**
 * Both birth years known and different; within one year is no conflict when either was estimated (released
 * `birthDateEstimated`, or a stand-in date).
 */
export function birthYearConflicts(a: LinkageSubject, b: LinkageSubject): boolean {
  if (a.birthYear === null || b.birthYear === null) return false;
  const estimated =
    a.birthDateEstimated || b.birthDateEstimated || hasStandInBirthDate(a) || hasStandInBirthDate(b);
  return Math.abs(a.birthYear - b.birthYear) > (estimated ? 1 : 0);
}

/** Sex or birth year conflict. */
export function conflicts(a: LinkageSubject, b: LinkageSubject): boolean {
  return sexConflicts(a, b) || birthYearConflicts(a, b);
}

function shares(a: LinkageSubject, b: LinkageSubject, kind: string): boolean {
  const values = new Set(a.tokens.filter((t) => t.kind === kind).map((t) => t.value));
  return b.tokens.some((t) => t.kind === kind && values.has(t.value));
}

/**
 * Why two records are about the same person on their own evidence, as the token kinds (and `sex` for a
 * positive sex agreement) that justify it; null when the pair does not link by itself. Symmetric.
 * - `nds` links, unless either birth date is an estimate;
 * - `doc` links without a sex or birth-year conflict;
 * - `ndob`, `near` link without a conflict, unless either birth date is an estimate;
 * - `phon` (weak) links only with a second agreement: both sexes known and equal, and no conflict;
 * - `nyr`, `pyr` (weak) never link a pair: see `personPartition` for the unique-candidate rule.
 *
 * @example
 * linkReason(a, b); // ['ndob'] or null
 */
export function linkReason(a: LinkageSubject, b: LinkageSubject): string[] | null {
  const estimated = hasEstimatedBirthDate(a) || hasEstimatedBirthDate(b);
  if (!estimated && shares(a, b, NAME_BIRTH_DATE_SEX)) return [NAME_BIRTH_DATE_SEX];
  if (conflicts(a, b)) return null;
  if (shares(a, b, IDENTITY_DOCUMENT)) return [IDENTITY_DOCUMENT];
  if (estimated) return null;
  for (const kind of [MAIN_NAMES_BIRTH_DATE, NEAR_NAMES_BIRTH_DATE]) {
    if (shares(a, b, kind)) return [kind];
  }
  if (shares(a, b, PHONETIC_BIRTH_DATE) && sexAgrees(a, b)) return [PHONETIC_BIRTH_DATE, 'sex'];
  return null;
}

/**
 * Whether two records link on their own evidence (`linkReason` is not null). Symmetric.
 *
 * @example
 * recordsLink(a, b); // true
 */
export function recordsLink(a: LinkageSubject, b: LinkageSubject): boolean {
  return linkReason(a, b) !== null;
}
