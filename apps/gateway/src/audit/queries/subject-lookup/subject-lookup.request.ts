import { SEXES } from '@ketenpoort/signal-contract';
import type { SubjectIdentity } from '@ketenpoort/pseudonymisation';
import { GatewayError } from '../../../common/gateway-error.js';

/**
 * A subject-access request's reference: a short upper-case code with at least one digit
 * (`SAR-2026-0042`), so that no name or other free text can be put where the reference is audited.
 */
export const REQUEST_REFERENCE = /^(?=.{3,32}$)(?=[^\d]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const MAX_TEXT = 200;
const MAX_DOCUMENTS = 10;
const SUBJECT_KEYS = ['givenNames', 'familyName', 'birthDate', 'sex', 'documents'];
const DOCUMENT_KEYS = ['type', 'country', 'number'];
const BIRTH_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export interface SubjectLookupRequest {
  requestReference: string;
  subject: SubjectIdentity;
}

function invalid(field: string, expected: string): never {
  // Field names only: the values are a person's identifiers.
  throw new GatewayError('AUDIT.LOOKUP_INVALID', `${field} must be ${expected}`, { field });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, max = MAX_TEXT): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    invalid(field, `a non-empty string of at most ${max} characters`);
  }
  return value;
}

function onlyKeys(value: Record<string, unknown>, allowed: string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) invalid(path ? `${path}.${key.slice(0, 40)}` : key.slice(0, 40), 'absent');
  }
}

/** Checks the body of `POST /v1/admin/audit/subject-lookup`; errors name fields, never values. */
export function parseSubjectLookupRequest(body: unknown): SubjectLookupRequest {
  if (!isObject(body)) invalid('body', 'a JSON object');
  onlyKeys(body, ['requestReference', 'subject'], '');
  if (typeof body.requestReference !== 'string' || !REQUEST_REFERENCE.test(body.requestReference)) {
    invalid('requestReference', 'a short code of capitals, digits and hyphens with a digit (SAR-2026-0042)');
  }
  const subject = body.subject;
  if (!isObject(subject)) invalid('subject', 'an object');
  onlyKeys(subject, SUBJECT_KEYS, 'subject');
  const birthDate = text(subject.birthDate, 'subject.birthDate', 10);
  if (birthDate !== undefined && !BIRTH_DATE.test(birthDate)) invalid('subject.birthDate', 'YYYY-MM-DD');
  const sex = text(subject.sex, 'subject.sex', 20);
  if (sex !== undefined && !(SEXES as readonly string[]).includes(sex))
    invalid('subject.sex', SEXES.join(', '));
  let documents: SubjectIdentity['documents'];
  if (subject.documents !== undefined) {
    if (!Array.isArray(subject.documents) || subject.documents.length > MAX_DOCUMENTS) {
      invalid('subject.documents', `an array of at most ${MAX_DOCUMENTS} documents`);
    }
    documents = subject.documents.map((document: unknown, i) => {
      const path = `subject.documents[${i}]`;
      if (!isObject(document)) invalid(path, 'an object');
      onlyKeys(document, DOCUMENT_KEYS, path);
      const type = text(document.type, `${path}.type`, 40);
      const number = text(document.number, `${path}.number`, 60);
      if (type === undefined || number === undefined) invalid(path, 'a document with type and number');
      return { type, number, country: text(document.country, `${path}.country`, 3) };
    });
  }
  return {
    requestReference: body.requestReference,
    subject: {
      givenNames: text(subject.givenNames, 'subject.givenNames'),
      familyName: text(subject.familyName, 'subject.familyName'),
      birthDate,
      sex,
      documents,
    },
  };
}
