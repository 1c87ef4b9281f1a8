import { conflicts, isDated, LINKING_TOKEN_KINDS, linkReason, UNIQUE_CANDIDATE_KINDS } from './link-rule.js';
import type { LinkageSubject } from './linkage-subject.js';

/** One edge of the spanning forest that made the persons, with the token kinds that justify it. */
export interface LinkEdge {
  recordA: string;
  recordB: string;
  reason: string[];
}

export interface Partition {
  /** Persons as sorted record ids, sorted by their first record id. */
  persons: string[][];
  /** Edges that joined two records' groups, in the order they were applied. */
  edges: LinkEdge[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(id: string): string {
    let root = id;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(id, root);
    return root;
  }
  union(a: string, b: string): boolean {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) return false;
    this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
    return true;
  }
}

/**
 * The persons over a set of records that is closed under shared linking tokens (every record sharing a token
 * with one inside is inside), so the result equals the partition over the whole register. Two stages:
 * 1. pairwise links (`linkReason`): connected components;
 * 2. the unique-candidate rule for the weak `nyr` / `pyr` keys, for a record without a real full birth date
 *    (year only, or a stand-in date): over all its weak keys it points at the stage-1 persons that have a real
 *    full birth date. Exactly one: it joins that person's records that carry the key. None: it joins the other
 *    such records without a candidate. More than one (a look-alike with the same names and year competes):
 *    it joins nobody. A sex or birth-year conflict always blocks the join.
 * Depends only on the set, never on the order of `subjects`.
 *
 * @example
 * personPartition(subjects).persons; // [['r1', 'r3'], ['r2']]
 */
export function personPartition(subjects: readonly LinkageSubject[]): Partition {
  const sorted = [...subjects].sort((a, b) =>
    a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0,
  );
  const byKey = new Map<string, LinkageSubject[]>();
  for (const subject of sorted) {
    for (const token of subject.tokens) {
      if (!LINKING_TOKEN_KINDS.includes(token.kind)) continue;
      const key = `${token.kind}\u0000${token.value}`;
      const group = byKey.get(key) ?? [];
      if (group[group.length - 1] !== subject) group.push(subject);
      byKey.set(key, group);
    }
  }
  const stage1 = new UnionFind();
  const edges: LinkEdge[] = [];
  const seen = new Set<string>();
  for (const [key, group] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (UNIQUE_CANDIDATE_KINDS.includes(key.slice(0, key.indexOf('\u0000')))) continue;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const pair = `${group[i].recordId}\u0000${group[j].recordId}`;
        if (seen.has(pair)) continue;
        seen.add(pair);
        const reason = linkReason(group[i], group[j]);
        if (reason && stage1.union(group[i].recordId, group[j].recordId)) {
          edges.push({ recordA: group[i].recordId, recordB: group[j].recordId, reason });
        }
      }
    }
  }
  const stage2 = new UnionFind();
  for (const edge of edges) stage2.union(edge.recordA, edge.recordB);
  // Stage 2, per record without a real full birth date: the dated persons its weak keys point at.
  const weakKeys = (s: LinkageSubject) =>
    s.tokens.filter((t) => UNIQUE_CANDIDATE_KINDS.includes(t.kind)).map((t) => `${t.kind}\u0000${t.value}`);
  const candidatesOf = new Map<string, Set<string>>();
  for (const subject of sorted) {
    if (isDated(subject)) continue;
    const dated = new Set<string>();
    for (const key of weakKeys(subject)) {
      for (const other of byKey.get(key)!) if (isDated(other)) dated.add(stage1.find(other.recordId));
    }
    candidatesOf.set(subject.recordId, dated);
  }
  for (const subject of sorted) {
    const candidates = candidatesOf.get(subject.recordId);
    if (!candidates || candidates.size > 1) continue;
    const [person] = [...candidates];
    for (const key of weakKeys(subject)) {
      const kind = key.slice(0, key.indexOf('\u0000'));
      for (const other of byKey.get(key)!) {
        if (other === subject || conflicts(subject, other)) continue;
        // One dated candidate: join its records that carry the key. None: join other undated records
        // that have no dated candidate either.
        const joins =
          person !== undefined
            ? stage1.find(other.recordId) === person
            : candidatesOf.get(other.recordId)?.size === 0;
        if (!joins) continue;
        const [a, b] = other.recordId < subject.recordId ? [other, subject] : [subject, other];
        if (stage2.union(a.recordId, b.recordId)) {
          edges.push({ recordA: a.recordId, recordB: b.recordId, reason: [kind, 'unique-candidate'] });
        }
      }
    }
  }
  const persons = new Map<string, string[]>();
  for (const subject of sorted) {
    const root = stage2.find(subject.recordId);
    persons.set(root, [...(persons.get(root) ?? []), subject.recordId]);
  }
  return {
    persons: [...persons.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    edges,
  };
}
