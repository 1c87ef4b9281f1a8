import { LINKING_TOKEN_KINDS } from './link-rule.js';
import type { LinkageStore, LinkEvent } from './linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';
import { personPartition } from './person-partition.js';

export interface LinkResult {
  personId: string;
  /** Persons that were merged into another because this record linked them. */
  mergedPersonIds: string[];
  /** Persons that lost records because this record made a weak link ambiguous. */
  splitPersonIds: string[];
}

/** What taking a record out of the persons changed. */
export interface UnlinkResult {
  /** The person the record belonged to (null when it had none). */
  formerPersonId: string | null;
  /** Persons left without records (the person the record alone made). */
  deletedPersonIds: string[];
  /** Persons that fell apart because the record held them together. */
  splitPersonIds: string[];
}

/** Above this many records the neighbourhood is not widened further (a guard against runaway closures). */
const MAX_NEIGHBOURHOOD = 5_000;

/**
 * Incremental linkage: places one new record (already stored) in a person. It gathers the record's
 * neighbourhood — every record reachable through shared linking tokens and shared persons — recomputes
 * `personPartition` over it and moves the stored persons to match: joins, merges and (when a new record makes
 * a unique-candidate link ambiguous) splits, each written to the link log. Because the neighbourhood is closed
 * under shared tokens, the persons equal the partition of all records, whatever the arrival order.
 */
export class PersonLinker {
  async link(subject: LinkageSubject, store: LinkageStore): Promise<LinkResult> {
    const records = await this.neighbourhood(subject, store);
    const current = await store.personsOf([...records.keys()]);
    const settled = await this.settle([...records.values()], current, store, [], 'ambiguous');
    const ofSubject = settled.persons.findIndex((cluster) => cluster.includes(subject.recordId));
    return {
      personId: settled.targets[ofSubject],
      mergedPersonIds: settled.emptied,
      splitPersonIds: settled.split,
    };
  }

  /**
   * Takes one stored record out of the persons: gathers its neighbourhood while it still exists, lets `remove`
   * delete it, and recomputes the partition over the rest — so a person the record alone made disappears, and a
   * person it alone held together splits (link log reason `removed`).
   */
  async unlink(
    subject: LinkageSubject,
    store: LinkageStore,
    remove: () => Promise<void>,
  ): Promise<UnlinkResult> {
    const records = await this.neighbourhood(subject, store);
    const current = await store.personsOf([...records.keys()]);
    const formerPersonId = current.get(subject.recordId) ?? null;
    records.delete(subject.recordId);
    current.delete(subject.recordId);
    await remove();
    const settled = await this.settle(
      [...records.values()],
      current,
      store,
      formerPersonId ? [formerPersonId] : [],
      'removed',
    );
    return { formerPersonId, deletedPersonIds: settled.emptied, splitPersonIds: settled.split };
  }

  private async settle(
    subjects: LinkageSubject[],
    current: Map<string, string>,
    store: LinkageStore,
    formerPersons: string[],
    splitReason: string,
  ): Promise<{ persons: string[][]; targets: string[]; emptied: string[]; split: string[] }> {
    const { persons, edges } = personPartition(subjects);
    const targets: string[] = [];
    const events: LinkEvent[] = [];
    for (const cluster of persons) {
      const counts = new Map<string, number>();
      for (const id of cluster) {
        const person = current.get(id);
        if (person) counts.set(person, (counts.get(person) ?? 0) + 1);
      }
      // The earlier person holding most of the cluster keeps its id; ties go to the smaller id.
      const ranked = [...counts].sort(([pa, ca], [pb, cb]) => cb - ca || (pa < pb ? -1 : 1));
      const target =
        ranked.find(([person]) => !targets.includes(person))?.[0] ?? (await store.createPerson());
      targets.push(target);
      const moving = cluster.filter((id) => current.get(id) !== target);
      if (moving.length) await store.assignRecords(target, moving);
      const inCluster = new Set(cluster);
      for (const edge of edges) {
        if (!inCluster.has(edge.recordA)) continue;
        const [pa, pb] = [current.get(edge.recordA), current.get(edge.recordB)];
        if (pa !== undefined && pa === pb) continue;
        const event = counts.size > 1 ? 'merged' : 'joined';
        events.push({
          event,
          personId: target,
          recordA: edge.recordA,
          recordB: edge.recordB,
          reason: edge.reason,
        });
      }
    }
    const emptied = [...new Set([...current.values(), ...formerPersons])]
      .filter((person) => !targets.includes(person))
      .sort();
    const split = new Set<string>();
    persons.forEach((cluster, i) => {
      for (const id of cluster) {
        const before = current.get(id);
        if (before === undefined || before === targets[i] || !targets.includes(before)) continue;
        // The record left a person that goes on with other records: a split.
        split.add(before);
        const stays = persons[targets.indexOf(before)][0];
        events.push({ event: 'split', personId: before, recordA: stays, recordB: id, reason: [splitReason] });
      }
    });
    if (emptied.length) await store.deletePersons(emptied);
    if (events.length) await store.recordLinkEvents(events);
    return { persons, targets, emptied, split: [...split].sort() };
  }

  private async neighbourhood(
    subject: LinkageSubject,
    store: LinkageStore,
  ): Promise<Map<string, LinkageSubject>> {
    const records = new Map<string, LinkageSubject>([[subject.recordId, subject]]);
    let frontier: LinkageSubject[] = [subject];
    while (frontier.length && records.size < MAX_NEIGHBOURHOOD) {
      const tokens = frontier.flatMap((s) => s.tokens.filter((t) => LINKING_TOKEN_KINDS.includes(t.kind)));
      const found = tokens.length ? await store.subjectsSharingTokens(dedupe(tokens)) : [];
      const persons = [
        ...new Set((await store.personsOf([...frontier, ...found].map((s) => s.recordId))).values()),
      ];
      const members = persons.length ? await store.subjectsOfPersons(persons) : [];
      frontier = [];
      for (const s of [...found, ...members]) {
        if (!records.has(s.recordId)) {
          records.set(s.recordId, s);
          frontier.push(s);
        }
      }
    }
    return records;
  }
}

function dedupe<T extends { kind: string; value: string }>(tokens: T[]): T[] {
  return [...new Map(tokens.map((t) => [`${t.kind}\u0000${t.value}`, t])).values()];
}
