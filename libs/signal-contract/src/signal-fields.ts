/**
 * Every schema field of signal v1 by path; array elements are written `[]`.
 * Receipts, policies and audit entries name fields by these paths — never by value.
 *
 * @example SIGNAL_FIELDS.includes('subject.documents[].number') // true
 */
export const SIGNAL_FIELDS = [
  'signalId',
  'purpose',
  'reportedAt',
  'supersedes',
  'consent.status',
  'consent.by',
  'consent.date',
  'subject.givenNames',
  'subject.familyName',
  'subject.birthDate',
  'subject.birthDateEstimated',
  'subject.sex',
  'subject.nationalities',
  'subject.documents[].type',
  'subject.documents[].country',
  'subject.documents[].number',
  'subject.phone',
  'subject.address.street',
  'subject.address.postcode',
  'subject.address.municipality',
  'subject.languages',
  'exploitation.forms',
  'exploitation.sector',
  'exploitation.countries',
  'exploitation.policeUnit',
  'exploitation.startedAt',
  'exploitation.endedAt',
  'situation.needsShelter',
  'situation.residence',
  'situation.multiProblem',
  'situation.healthNotes',
  'situation.narrative',
  'case.reference',
  'case.officer.name',
  'case.officer.email',
] as const;
export type SignalField = (typeof SIGNAL_FIELDS)[number];

/**
 * Direct identifiers: they may only be pseudonymised or dropped, never forwarded or masked,
 * and never written anywhere in any form. The birth date counts here because with a name it identifies.
 */
export const DIRECT_IDENTIFIER_FIELDS: readonly SignalField[] = [
  'subject.givenNames',
  'subject.familyName',
  'subject.birthDate',
  'subject.documents[].number',
  'subject.phone',
  'subject.address.street',
  'case.officer.name',
  'case.officer.email',
];

/** GDPR art. 9 special-category data. */
export const SPECIAL_CATEGORY_FIELDS: readonly SignalField[] = ['situation.healthNotes'];

/** Free text: never released under `registration`, never logged. */
export const FREE_TEXT_FIELDS: readonly SignalField[] = ['situation.narrative', 'situation.healthNotes'];

/**
 * Reads the values at a field path from a plain signal object; arrays (`[]`) are flattened.
 * Missing values are left out, so the result is empty when the field is absent.
 */
export function readField(signal: unknown, path: string): unknown[] {
  let current: unknown[] = [signal];
  for (const part of path.split('.')) {
    const isArray = part.endsWith('[]');
    const key = isArray ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined || child === null) continue;
      if (isArray) {
        if (Array.isArray(child)) next.push(...child);
      } else {
        next.push(child);
      }
    }
    current = next;
  }
  return current;
}
