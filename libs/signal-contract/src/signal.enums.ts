export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const CONSENT_STATUSES = ['given', 'refused', 'not-required', 'unknown'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CONSENT_GIVERS = ['subject', 'guardian'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

export const DOCUMENT_TYPES = ['passport', 'national-id', 'residence-permit', 'bsn', 'v-number'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const EXPLOITATION_FORMS = [
  'sexual',
  'labour',
  'criminal',
  'organ-removal',
  'other',
  'unknown',
] as const;
export type ExploitationForm = (typeof EXPLOITATION_FORMS)[number];

export const RESIDENCE_STATUSES = [
  'b8-reflection',
  'b8-permit',
  'eu-citizen',
  'dutch',
  'other',
  'unknown',
] as const;
export type ResidenceStatus = (typeof RESIDENCE_STATUSES)[number];

/** Reporter types are configured per partner, never taken from a signal body. */
export const REPORTER_TYPES = [
  'police',
  'kmar',
  'labour-inspectorate',
  'care-coordinator',
  'youth-care',
  'shelter',
  'other',
] as const;
export type ReporterType = (typeof REPORTER_TYPES)[number];

export const SIGNAL_STATUSES = [
  'accepted',
  'delivering',
  'delivered',
  'dead-lettered',
  'retracted',
  'superseded',
  'withdrawn',
] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
