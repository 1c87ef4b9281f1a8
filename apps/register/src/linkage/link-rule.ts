import type { LinkageSubject } from './linkage-subject.js';

/** Name + full birth date + sex: a shared token links two records. */
export const NAME_BIRTH_DATE_SEX = 'nds';
/** One identity document: forged documents are shared by several people, so it links only without conflict. */
export const IDENTITY_DOCUMENT = 'doc';
/** The token kinds that can link records; a case reference (`case`) never links persons. */
export const LINKING_TOKEN_KINDS: readonly string[] = [NAME_BIRTH_DATE_SEX, IDENTITY_DOCUMENT];

const knownSex = (sex: string | null): string | null => (sex && sex !== 'unknown' ? sex : null);

/** Both sexes known and different. Unknown or absent sex is no conflict. */
export function sexConflicts(a: LinkageSubject, b: LinkageSubject): boolean {
  const [sa, sb] = [knownSex(a.sex), knownSex(b.sex)];
  return sa !== null && sb !== null && sa !== sb;
}

/** Both birth years known and different; within one year is no conflict when either was estimated. */
export function birthYearConflicts(a: LinkageSubject, b: LinkageSubject): boolean {
  if (a.birthYear === null || b.birthYear === null) return false;
  const tolerance = a.birthDateEstimated || b.birthDateEstimated ? 1 : 0;
  return Math.abs(a.birthYear - b.birthYear) > tolerance;
}

function shares(a: LinkageSubject, b: LinkageSubject, kind: string): boolean {
  const values = new Set(a.tokens.filter((t) => t.kind === kind).map((t) => t.value));
  return b.tokens.some((t) => t.kind === kind && values.has(t.value));
}

/**
 * Whether two records are about the same person: a shared name/birth-date/sex token links; a shared
 * document token links only when birth year and sex do not conflict. Symmetric, so the persons
 * (connected components of links) do not depend on the order records arrive in.
 */
export function recordsLink(a: LinkageSubject, b: LinkageSubject): boolean {
  if (shares(a, b, NAME_BIRTH_DATE_SEX)) return true;
  return shares(a, b, IDENTITY_DOCUMENT) && !sexConflicts(a, b) && !birthYearConflicts(a, b);
}
