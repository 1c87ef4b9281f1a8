/**
 * Why a partner retracts a signal: a code, never free text (free text could carry personal data).
 *
 * @example RETRACTION_REASONS.includes('entered-in-error') // true
 */
export const RETRACTION_REASONS = [
  'entered-in-error',
  'duplicate',
  'not-a-victim',
  'consent-invalid',
  'other',
] as const;
export type RetractionReason = (typeof RETRACTION_REASONS)[number];

/** Why the register removed a record. */
export type RecordRemovalCause = 'retracted' | 'consent-withdrawn' | 'superseded' | 'retention';

/** The `removal` claim of the gateway's signed request to remove one record (JWS typ `recordRemoval`). */
export interface RecordRemovalClaims {
  recordId: string;
  cause: 'retracted' | 'consent-withdrawn' | 'superseded';
  /** The retraction reason code; absent for a consent withdrawal. */
  reason?: RetractionReason;
}

/**
 * A ground that still covers the same person after a removal: by purpose, reporter type and legal ground —
 * never an organisation, a record id or any data of the person.
 */
export interface KeptGround {
  purpose: string;
  reporterType: string;
  legalGround: string;
}

/** The register's signed answer to a removal request (claims of a JWS typ `removalReceipt`). */
export interface RecordRemovalReceiptClaims {
  recordId: string;
  cause: RecordRemovalCause;
  /** False when the register did not hold the record (never delivered, or removed before). */
  removed: boolean;
  removedAt: string;
  /** Grounds under which other records of the same person stay. */
  keptGrounds: KeptGround[];
}

/** What the register's retention job deleted in one run: counts per purpose, never contents. */
export interface RetentionReportClaims {
  reportId: string;
  /** Increasing per report; the gateway pulls the reports after the last one it audited. */
  seq: number;
  ranAt: string;
  deleted: { purpose: string; count: number }[];
}

/** JWS `typ` values of the data life cycle (kept apart from records and receipts). */
export const LIFECYCLE_JWS_TYPES = {
  recordRemoval: 'ketenpoort-record-removal+jws',
  removalReceipt: 'ketenpoort-removal-receipt+jws',
  retentionReport: 'ketenpoort-retention-report+jws',
} as const;
