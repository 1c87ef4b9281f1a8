import { randomUUID } from 'node:crypto';
import type { LinkageToken } from '@ketenpoort/signal-contract';
import type { BulkLinkageStore, LinkageChanges, LinkEvent } from './linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';

const keyOf = (t: LinkageToken) => `${t.kind}\u0000${t.value}`;

/** A `LinkageStore` in memory: for linkage unit tests, the evaluation harness and dry runs. */
export class InMemoryLinkageStore implements BulkLinkageStore {
  private readonly subjects = new Map<string, LinkageSubject>();
  private readonly byToken = new Map<string, Set<string>>();
  private readonly personOfRecord = new Map<string, string>();
  private readonly persons = new Set<string>();
  /** The link log, oldest first. */
  readonly events: LinkEvent[] = [];

  /** Makes a record visible to later linkage (the database does this by storing the record first). */
  add(subject: LinkageSubject): void {
    this.subjects.set(subject.recordId, subject);
    for (const token of subject.tokens) {
      const key = keyOf(token);
      this.byToken.set(key, (this.byToken.get(key) ?? new Set()).add(subject.recordId));
    }
  }

  /** Deletes a record with its tokens and membership (the database does this by deleting the row). */
  remove(recordId: string): void {
    const subject = this.subjects.get(recordId);
    this.subjects.delete(recordId);
    this.personOfRecord.delete(recordId);
    for (const token of subject?.tokens ?? []) this.byToken.get(keyOf(token))?.delete(recordId);
  }

  async subjectsSharingTokens(tokens: readonly LinkageToken[]) {
    const ids = new Set<string>();
    for (const token of tokens) for (const id of this.byToken.get(keyOf(token)) ?? []) ids.add(id);
    return [...ids].map((id) => this.subjects.get(id)!);
  }

  async subjectsOfPersons(personIds: readonly string[]) {
    const wanted = new Set(personIds);
    return [...this.personOfRecord]
      .filter(([, person]) => wanted.has(person))
      .map(([id]) => this.subjects.get(id)!);
  }

  async personsOf(recordIds: readonly string[]) {
    const out = new Map<string, string>();
    for (const id of recordIds) {
      const person = this.personOfRecord.get(id);
      if (person) out.set(id, person);
    }
    return out;
  }

  async createPerson() {
    const personId = randomUUID();
    this.persons.add(personId);
    return personId;
  }

  async assignRecords(personId: string, recordIds: readonly string[]) {
    for (const id of recordIds) this.personOfRecord.set(id, personId);
  }

  async deletePersons(personIds: readonly string[]) {
    for (const person of personIds) this.persons.delete(person);
  }

  async recordLinkEvents(events: readonly LinkEvent[]) {
    this.events.push(...events);
  }

  async applyChanges(changes: LinkageChanges) {
    for (const person of changes.createdPersons) this.persons.add(person);
    for (const { recordId, personId } of changes.assignments) this.personOfRecord.set(recordId, personId);
    await this.deletePersons(changes.deletedPersons);
    this.events.push(...changes.events);
  }

  /** The person of one record. */
  personOf(recordId: string): string | undefined {
    return this.personOfRecord.get(recordId);
  }

  /** Number of persons that hold records. */
  personCount(): number {
    return new Set(this.personOfRecord.values()).size;
  }

  /** The persons as sets of record ids, sorted, so two stores can be compared. */
  partition(): string[][] {
    const groups = new Map<string, string[]>();
    for (const [recordId, personId] of this.personOfRecord) {
      groups.set(personId, [...(groups.get(personId) ?? []), recordId]);
    }
    return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }
}
