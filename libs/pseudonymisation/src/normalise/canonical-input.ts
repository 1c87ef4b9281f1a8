import { normaliseNameTokens } from './name.normaliser.js';
import { normaliseCountry, normaliseDocumentNumber, normaliseDocumentType } from './document.normaliser.js';

/**
 * Separator between the components of a hashed input. It cannot occur in any normalised component (names,
 * dates, sexes, document parts and case references are all printable), so inputs are unambiguous.
 */
export const COMPONENT_SEPARATOR = '\u001f';

/** The sexes that take part in the `nds` token; `unknown` or anything else leaves `nds` out. */
export const NDS_SEXES = ['female', 'male', 'other'] as const;

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An identity document as it appears in a signal. */
export interface IdentityDocument {
  type: string;
  country?: string;
  number: string;
}

/** The identifying part of a signal's subject. */
export interface SubjectIdentity {
  givenNames?: string;
  familyName?: string;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; only a full date takes part in `nds`. */
  birthDate?: string;
  sex?: string;
  documents?: IdentityDocument[];
}

/** Whether a value is a valid `YYYY-MM-DD` calendar date. @example isFullDate('1999-02-30'); // false */
export function isFullDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = FULL_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The hashed input of a `doc` token: type, issuing country (or '') and number, each normalised; null when the
 * type or the number normalises to nothing.
 *
 * @example
 * canonicalDocumentInput({ type: 'passport', country: 'pl', number: 'EA 123 4567' }); // 'passport␟PL␟EA1234567'
 */
export function canonicalDocumentInput(document: IdentityDocument): string | null {
  if (typeof document !== 'object' || document === null) return null;
  const type = normaliseDocumentType(document.type);
  const number = normaliseDocumentNumber(document.number);
  if (type === '' || number === '') return null;
  return [type, normaliseCountry(document.country), number].join(COMPONENT_SEPARATOR);
}

/**
 * The hashed input of an `nds` token: sorted name tokens (space-joined), full birth date and sex; null unless
 * there is at least one name token, a full `YYYY-MM-DD` date and a sex of female, male or other.
 *
 * @example
 * canonicalNdsInput({ givenNames: 'Anna', familyName: 'Kowalska', birthDate: '1999-04-12', sex: 'female' });
 * // 'anna kowalska␟1999-04-12␟female'
 */
export function canonicalNdsInput(subject: SubjectIdentity): string | null {
  const names = normaliseNameTokens(subject.givenNames, subject.familyName);
  const sex = typeof subject.sex === 'string' ? subject.sex.trim().toLowerCase() : '';
  if (names.length === 0 || !isFullDate(subject.birthDate)) return null;
  if (!(NDS_SEXES as readonly string[]).includes(sex)) return null;
  return [names.join(' '), subject.birthDate, sex].join(COMPONENT_SEPARATOR);
}

/**
 * A case reference trimmed, upper case, with inner white space collapsed to one space; empty when blank.
 *
 * @example
 * normaliseCaseReference(' pol-2020-001234 '); // 'POL-2020-001234'
 */
export function normaliseCaseReference(reference: string): string {
  if (typeof reference !== 'string') return '';
  return reference.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
}
