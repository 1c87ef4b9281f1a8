import type { KeptGround, RecordRemovalCause } from '@ketenpoort/signal-contract';

/** Why and on whose behalf one record is removed. */
export interface RemovalRequest {
  cause: RecordRemovalCause;
  /** A retraction reason code; never free text. */
  reason?: string | null;
  /** The correcting record (cause `superseded`). */
  replacedBy?: string | null;
}

/** What a removal did: whether the record was held, and which grounds still cover the same person. */
export interface RemovalOutcome {
  recordId: string;
  removed: boolean;
  /** True when the record had been removed before (the answer repeats the first one). */
  repeated: boolean;
  purpose: string | null;
  removedAt: string;
  keptGrounds: KeptGround[];
}

/**
 * Removal inside the caller's transaction (serialised with intake): takes the record out of its person,
 * relinks the neighbourhood, deletes it and leaves a tombstone (why, purpose, report year — no content) that
 * refuses a late delivery of the same record and explains a revision of frozen figures.
 */
export interface RecordRemoval {
  /** The ids among these that were removed before (a delivery of them must be refused). */
  removedAmong(recordIds: readonly string[]): Promise<Set<string>>;
  remove(recordId: string, request: RemovalRequest): Promise<RemovalOutcome>;
}

/** One run of the retention job as stored: counts per purpose only. */
export interface StoredRetentionReport {
  seq: number;
  reportId: string;
  ranAt: Date;
  deleted: { purpose: string; count: number }[];
}

/** Removal work plus what the retention job needs, in one transaction under the intake lock. */
export interface LifecycleTransaction extends RecordRemoval {
  /** Ids of records whose retainUntil lies before `today` (ISO date). */
  recordsPastRetention(today: string): Promise<string[]>;
  addRetentionReport(report: Omit<StoredRetentionReport, 'seq'>): Promise<void>;
}

/** Port to the register's database for the data life cycle; infrastructure implements it. */
export interface RecordRemovalStore {
  inTransaction<T>(work: (tx: LifecycleTransaction) => Promise<T>): Promise<T>;
  retentionReportsAfter(seq: number, limit: number): Promise<StoredRetentionReport[]>;
}

export const RECORD_REMOVAL_STORE = Symbol('RECORD_REMOVAL_STORE');
