import type { RegisterRecord } from '@ketenpoort/signal-contract';
import type { BulkLinkageStore } from '../linkage/index.js';
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

/** Work inside the one transaction that stores records and links them. */
export interface RecordTransaction {
  /** The earlier deliveries among these record ids. */
  findDeliveries(recordIds: readonly string[]): Promise<Map<string, StoredDelivery>>;
  /** Stores the records and their tokens, in multi-row statements. */
  insertMany(rows: readonly NewRecordRow[]): Promise<void>;
  readonly linkage: BulkLinkageStore;
  /** Tombstones of removed records, and removal of the record a correction supersedes. */
  readonly removal: RecordRemoval;
}

/** Port to the register's database for the intake use case; infrastructure/ implements it. */
export interface RecordStore {
  /** Runs `work` in one transaction, serialised with every other store, so linkage sees all earlier records. */
  inTransaction<T>(work: (tx: RecordTransaction) => Promise<T>): Promise<T>;
}

export const RECORD_STORE = Symbol('RECORD_STORE');
