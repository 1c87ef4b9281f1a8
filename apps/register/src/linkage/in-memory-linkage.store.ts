import { randomUUID } from 'node:crypto';
import type { LinkageToken } from '@ketenpoort/signal-contract';
import type { LinkageStore } from './linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';

/** A `LinkageStore` in memory: for linkage unit tests and dry runs. */
export class InMemoryLinkageStore implements LinkageStore {
  private readonly subjects = new Map<string, LinkageSubject>();
  private readonly personOfRecord = new Map<string, string>();

  /** Makes a record visible to later linkage (the database does this by storing the record first). */
  add(subject: LinkageSubject): void {
    this.subjects.set(subject.recordId, subject);
  }

  async findRecordsSharingTokens(tokens: readonly LinkageToken[], exceptRecordId: string) {
    const wanted = new Set(tokens.map((t) => `${t.kind}\u0000${t.value}`));
    return [...this.subjects.values()].filter(
      (s) => s.recordId !== exceptRecordId && s.tokens.some((t) => wanted.has(`${t.kind}\u0000${t.value}`)),
    );
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
    return randomUUID();
  }

  async addRecordToPerson(recordId: string, personId: string) {
    this.personOfRecord.set(recordId, personId);
  }

  async mergePersons(into: string, others: readonly string[]) {
    for (const [recordId, personId] of this.personOfRecord) {
      if (others.includes(personId)) this.personOfRecord.set(recordId, into);
    }
  }

  /** The persons as sets of record ids, sorted, so two stores can be compared. */
  partition(): string[][] {
    const groups = new Map<string, string[]>();
    for (const [recordId, personId] of this.personOfRecord) {
      groups.set(personId, [...(groups.get(personId) ?? []), recordId]);
    }
    return [...groups.values()].map((g) => g.sort()).sort((a, b) => a[0].localeCompare(b[0]));
  }
}
