import type { LinkageToken } from '@ketenpoort/signal-contract';
import type { LinkageSubject } from './linkage-subject.js';

/**
 * One entry of the link log: why records were joined into a person, or why a person was split. Kept so a
 * published figure can be explained later (read by the `register-steward` endpoint).
 * - `joined`: the edge `recordA`–`recordB` added a record to a person;
 * - `merged`: the edge is part of a change that made two or more earlier persons one;
 * - `split`: `recordB` left the person of `recordA` (a later record made a weak link ambiguous).
 */
export interface LinkEvent {
  event: 'joined' | 'merged' | 'split';
  personId: string;
  recordA: string;
  recordB: string;
  /** Token kinds (and `sex`, `unique-candidate`) that justify a join or merge; `ambiguous` for a split. */
  reason: string[];
}

/** The persistence linkage needs, inside the transaction that stores the record. */
export interface LinkageStore {
  /** Every record (with all its tokens) sharing at least one of these tokens, the given record included. */
  subjectsSharingTokens(tokens: readonly LinkageToken[]): Promise<LinkageSubject[]>;
  /** Every record (with all its tokens) of these persons. */
  subjectsOfPersons(personIds: readonly string[]): Promise<LinkageSubject[]>;
  /** The person of each given record that has one. */
  personsOf(recordIds: readonly string[]): Promise<Map<string, string>>;
  createPerson(): Promise<string>;
  /** Makes `personId` the person of each record (inserting or moving the membership). */
  assignRecords(personId: string, recordIds: readonly string[]): Promise<void>;
  /** Removes persons that no longer have records. */
  deletePersons(personIds: readonly string[]): Promise<void>;
  /** Appends to the link log. */
  recordLinkEvents(events: readonly LinkEvent[]): Promise<void>;
}

/** What linking a batch changed, written at once (see `BatchLinkageStore`). */
export interface LinkageChanges {
  /** Persons created, in order. */
  createdPersons: string[];
  /** The person of each record that moved (the last assignment of a record wins). */
  assignments: Array<{ recordId: string; personId: string }>;
  /** Persons left without records. */
  deletedPersons: string[];
  events: LinkEvent[];
}

/** A `LinkageStore` that can also write a batch of changes in a few statements. */
export interface BulkLinkageStore extends LinkageStore {
  applyChanges(changes: LinkageChanges): Promise<void>;
}
