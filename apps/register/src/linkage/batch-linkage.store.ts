import { randomUUID } from 'node:crypto';
import type { LinkageToken } from '@ketenpoort/signal-contract';
import { LINKING_TOKEN_KINDS } from './link-rule.js';
import type { BulkLinkageStore, LinkageChanges, LinkageStore, LinkEvent } from './linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';

const keyOf = (t: LinkageToken) => `${t.kind}\u0000${t.value}`;
/** Rounds of widening the prefetch (each a few queries); beyond them the database is asked as needed. */
const PREFETCH_ROUNDS = 3;
const noChanges = (): LinkageChanges => ({
  createdPersons: [],
  assignments: [],
  deletedPersons: [],
  events: [],
});

/**
 * Linkage of a whole batch against what one prefetch loaded (ADR 0019). `prefetch` reads, in four queries, every
 * stored record that shares a linking token with the batch (the batch's own records, already inserted, included),
 * their persons and those persons' other records; `PersonLinker` then links record after record from memory.
 * Writes (persons, memberships, the link log) are kept and written by `flush` in a few multi-row statements.
 *
 * A question the prefetch cannot answer — a token no batch record holds, a record or person not loaded (a
 * neighbourhood that widens) — goes to the underlying store after a flush, so the database always sees the
 * linker's earlier writes first; the answer is remembered. The result equals linking record by record against the
 * database.
 *
 * @example
 * const linkage = new BatchLinkageStore(new TypeOrmLinkageStore(manager));
 * await linkage.prefetch(subjects);
 * for (const subject of subjects) await linker.link(subject, linkage);
 * await linkage.flush();
 */
export class BatchLinkageStore implements LinkageStore {
  private readonly subjects = new Map<string, LinkageSubject>();
  private readonly byToken = new Map<string, Set<string>>();
  /** Tokens for which `byToken` holds every stored record. */
  private readonly covered = new Set<string>();
  /** The person of every record asked about (null: none). */
  private readonly personOfRecord = new Map<string, string | null>();
  /** Every record (with tokens) of each person loaded or created here. */
  private readonly members = new Map<string, Set<string>>();
  private pending = noChanges();
  /** Statements sent to the underlying store, reads and writes; for the benchmark and tests. */
  queries = 0;

  constructor(private readonly base: BulkLinkageStore) {}

  /**
   * Loads every stored record sharing a linking token with `batch`, their persons and those persons' records —
   * and then, for a few rounds, the same for the tokens of what was found, so that a neighbourhood that widens
   * (a record found through a weak key, a person's other records) is usually answered from memory too.
   */
  async prefetch(batch: readonly LinkageSubject[]): Promise<void> {
    batch.forEach((subject) => this.remember(subject));
    let wanted = this.uncoveredTokens(batch);
    for (let round = 0; round < PREFETCH_ROUNDS && wanted.length; round++) {
      const found = await this.read(() => this.base.subjectsSharingTokens(wanted));
      for (const token of wanted) this.covered.add(keyOf(token));
      found.forEach((subject) => this.remember(subject));
      const persons = await this.personsOf(found.map((s) => s.recordId));
      const members = await this.subjectsOfPersons([...new Set(persons.values())]);
      wanted = this.uncoveredTokens([...found, ...members]);
    }
    // Records of the batch without tokens of their own still need their (absent) persons known.
    await this.personsOf(batch.map((s) => s.recordId));
  }

  private uncoveredTokens(subjects: readonly LinkageSubject[]): LinkageToken[] {
    return dedupe(
      subjects.flatMap((s) =>
        s.tokens.filter((t) => LINKING_TOKEN_KINDS.includes(t.kind) && !this.covered.has(keyOf(t))),
      ),
    );
  }

  async subjectsSharingTokens(tokens: readonly LinkageToken[]): Promise<LinkageSubject[]> {
    if (tokens.every((t) => this.covered.has(keyOf(t)))) {
      const ids = new Set<string>();
      for (const token of tokens) for (const id of this.byToken.get(keyOf(token)) ?? []) ids.add(id);
      return [...ids].map((id) => this.subjects.get(id)!);
    }
    await this.flush();
    const found = await this.read(() => this.base.subjectsSharingTokens(tokens));
    found.forEach((subject) => this.remember(subject));
    return found;
  }

  async personsOf(recordIds: readonly string[]): Promise<Map<string, string>> {
    const missing = [...new Set(recordIds.filter((id) => !this.personOfRecord.has(id)))];
    if (missing.length) {
      await this.flush();
      const loaded = await this.read(() => this.base.personsOf(missing));
      for (const id of missing) this.personOfRecord.set(id, loaded.get(id) ?? null);
    }
    const out = new Map<string, string>();
    for (const id of recordIds) {
      const person = this.personOfRecord.get(id);
      if (person) out.set(id, person);
    }
    return out;
  }

  async subjectsOfPersons(personIds: readonly string[]): Promise<LinkageSubject[]> {
    const missing = [...new Set(personIds.filter((p) => !this.members.has(p)))];
    if (missing.length) {
      await this.flush();
      const loaded = await this.read(() => this.base.subjectsOfPersons(missing));
      loaded.forEach((subject) => this.remember(subject));
      const persons = await this.personsOf(loaded.map((s) => s.recordId));
      for (const person of missing) this.members.set(person, new Set());
      for (const [recordId, person] of persons) this.members.get(person)?.add(recordId);
    }
    const ids = new Set(personIds.flatMap((p) => [...this.members.get(p)!]));
    return [...ids].map((id) => this.subjects.get(id)!);
  }

  async createPerson(): Promise<string> {
    const personId = randomUUID();
    this.pending.createdPersons.push(personId);
    this.members.set(personId, new Set());
    return personId;
  }

  async assignRecords(personId: string, recordIds: readonly string[]): Promise<void> {
    for (const recordId of recordIds) {
      const before = this.personOfRecord.get(recordId);
      if (before) this.members.get(before)?.delete(recordId);
      this.personOfRecord.set(recordId, personId);
      // Like the database's answer: a person's records are those with tokens.
      if (this.subjects.get(recordId)?.tokens.length) this.members.get(personId)?.add(recordId);
      this.pending.assignments.push({ recordId, personId });
    }
  }

  async deletePersons(personIds: readonly string[]): Promise<void> {
    for (const person of personIds) this.members.delete(person);
    this.pending.deletedPersons.push(...personIds);
  }

  async recordLinkEvents(events: readonly LinkEvent[]): Promise<void> {
    this.pending.events.push(...events);
  }

  /** Writes what linking changed since the last flush: persons created, memberships, deletions, the link log. */
  async flush(): Promise<void> {
    const { createdPersons, assignments, deletedPersons, events } = this.pending;
    if (!createdPersons.length && !assignments.length && !deletedPersons.length && !events.length) return;
    this.pending = noChanges();
    // A person created and emptied again within one flush never reaches the database.
    const created = new Set(createdPersons);
    const transient = new Set(deletedPersons.filter((p) => created.has(p)));
    const lastAssignment = new Map(assignments.map((a) => [a.recordId, a.personId]));
    await this.base.applyChanges({
      createdPersons: createdPersons.filter((p) => !transient.has(p)),
      assignments: [...lastAssignment].map(([recordId, personId]) => ({ recordId, personId })),
      deletedPersons: [...new Set(deletedPersons)].filter((p) => !transient.has(p)),
      events,
    });
    this.queries++;
  }

  /** Forgets everything loaded (after a flush): for when something else changed persons in the transaction. */
  async reset(): Promise<void> {
    await this.flush();
    this.subjects.clear();
    this.byToken.clear();
    this.covered.clear();
    this.personOfRecord.clear();
    this.members.clear();
  }

  private remember(subject: LinkageSubject): void {
    if (this.subjects.has(subject.recordId)) return;
    this.subjects.set(subject.recordId, subject);
    for (const token of subject.tokens) {
      const key = keyOf(token);
      this.byToken.set(key, (this.byToken.get(key) ?? new Set()).add(subject.recordId));
    }
  }

  private read<T>(query: () => Promise<T>): Promise<T> {
    this.queries++;
    return query();
  }
}

function dedupe(tokens: LinkageToken[]): LinkageToken[] {
  return [...new Map(tokens.map((t) => [keyOf(t), t])).values()];
}
