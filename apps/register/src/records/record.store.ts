import type { RegisterRecord } from '@ketenpoort/signal-contract';
import type { LinkageStore } from '../linkage/index.js';
import type { RecordRemoval } from '../lifecycle/record-removal.js';

export interface StoredDelivery {
  payloadDigest: string;
  receipt: string;
}

/** A record ready to store, with the facts linkage and statistics query as columns. */
export interface NewRecordRow {
  record: RegisterRecord;
  payloadDigest: string;
  receipt: string;
  receivedAt: Date;
  reportYear: number;
  reporterType: string;
  sexualExploitationOnly: boolean;
  birthYear: number | null;
  sex: string | null;
  birthDateEstimated: boolean;
  retainUntil: string | null;
}

/** Work inside the one transaction that stores a record and links it. */
export interface RecordTransaction {
  findDelivery(recordId: string): Promise<StoredDelivery | null>;
  /** Stores the record and its tokens. */
  insert(row: NewRecordRow): Promise<void>;
  readonly linkage: LinkageStore;
  /** Tombstones of removed records, and removal of the record a correction supersedes. */
  readonly removal: RecordRemoval;
}

/** Port to the register's database for the intake use case; infrastructure/ implements it. */
export interface RecordStore {
  /** Runs `work` in one transaction, serialised with every other store, so linkage sees all earlier records. */
  inTransaction<T>(work: (tx: RecordTransaction) => Promise<T>): Promise<T>;
}

export const RECORD_STORE = Symbol('RECORD_STORE');
