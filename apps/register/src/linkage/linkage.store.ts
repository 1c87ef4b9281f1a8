import type { LinkageToken } from '@ketenpoort/signal-contract';
import type { LinkageSubject } from './linkage-subject.js';

/** The persistence linkage needs, inside the transaction that stores the record. */
export interface LinkageStore {
  /** Other records sharing at least one of these tokens (kinds already filtered to linking kinds). */
  findRecordsSharingTokens(
    tokens: readonly LinkageToken[],
    exceptRecordId: string,
  ): Promise<LinkageSubject[]>;
  /** The person of each given record. */
  personsOf(recordIds: readonly string[]): Promise<Map<string, string>>;
  createPerson(): Promise<string>;
  addRecordToPerson(recordId: string, personId: string): Promise<void>;
  /** Moves every record of `others` to `into` and removes the emptied persons. */
  mergePersons(into: string, others: readonly string[]): Promise<void>;
}
