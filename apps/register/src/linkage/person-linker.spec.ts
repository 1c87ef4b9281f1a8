import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InMemoryLinkageStore } from './in-memory-linkage.store.js';
import { recordsLink } from './link-rule.js';
import { personPartition } from './person-partition.js';
import type { LinkageSubject } from './linkage-subject.js';
import { subject, subjectsArbitrary } from './__fixtures__/linkage-subjects.fixture.js';
import { PersonLinker } from './person-linker.js';

async function linkAll(subjects: readonly LinkageSubject[]): Promise<string[][]> {
  const sut = new PersonLinker();
  const store = new InMemoryLinkageStore();
  for (const subject of subjects) {
    store.add(subject);
    await sut.link(subject, store);
  }
  return store.partition();
}

/** Connected components of `recordsLink` over all pairs: the definition the incremental linker must meet. */
function components(subjects: readonly LinkageSubject[]): string[][] {
  const parent = new Map(subjects.map((s) => [s.recordId, s.recordId]));
  const find = (id: string): string => (parent.get(id) === id ? id : find(parent.get(id)!));
  for (const a of subjects) {
    for (const b of subjects) {
      if (a.recordId < b.recordId && recordsLink(a, b)) parent.set(find(a.recordId), find(b.recordId));
    }
  }
  const groups = new Map<string, string[]>();
  for (const s of subjects)
    groups.set(find(s.recordId), [...(groups.get(find(s.recordId)) ?? []), s.recordId]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => a[0].localeCompare(b[0]));
}

describe(PersonLinker.name, () => {
  it('makes one person of a record without linking tokens', async () => {
    expect(await linkAll([subject('r1', { tokens: [{ kind: 'case', value: 'c' }] })])).toEqual([['r1']]);
  });

  it('merges two persons when a later record links both', async () => {
    const records = [
      subject('r1', { tokens: [{ kind: 'nds', value: 'n' }] }),
      subject('r2', { tokens: [{ kind: 'doc', value: 'd' }] }),
      subject('r3', {
        tokens: [
          { kind: 'nds', value: 'n' },
          { kind: 'doc', value: 'd' },
        ],
      }),
    ];
    expect(await linkAll(records)).toEqual([['r1', 'r2', 'r3']]);
  });

  it('keeps apart records whose only link is a conflicting document', async () => {
    const records = [
      subject('r1', { tokens: [{ kind: 'doc', value: 'd' }], sex: 'female' }),
      subject('r2', { tokens: [{ kind: 'doc', value: 'd' }], sex: 'male' }),
    ];
    expect(await linkAll(records)).toEqual([['r1'], ['r2']]);
  });

  it('finds the connected components of the pairwise rule when no weak key is shared', async () => {
    const pairwiseOnly = subjectsArbitrary.map((subjects) =>
      subjects.map((s) => ({ ...s, tokens: s.tokens.filter((t) => t.kind !== 'nyr' && t.kind !== 'pyr') })),
    );
    await fc.assert(
      fc.asyncProperty(pairwiseOnly, async (subjects) => {
        expect(await linkAll(subjects)).toEqual(components(subjects));
      }),
      { numRuns: 300 },
    );
  });

  it('ends with the partition of all records, splits included, in every arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(
        subjectsArbitrary.chain((subjects) =>
          fc.tuple(fc.constant(subjects), fc.shuffledSubarray(subjects, { minLength: subjects.length })),
        ),
        async ([subjects, shuffled]) => {
          expect(await linkAll(shuffled)).toEqual(personPartition(subjects).persons);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('joins a year-only record to the one person with those names and that year', async () => {
    const records = [
      subject('r1', {
        tokens: [
          { kind: 'ndob', value: 'p' },
          { kind: 'nyr', value: 'y' },
        ],
        birthYear: 1999,
      }),
      subject('r2', { tokens: [{ kind: 'nyr', value: 'y' }], birthYear: 1999 }),
    ];
    expect(await linkAll(records)).toEqual([['r1', 'r2']]);
  });

  it('splits the year-only record off again when a look-alike with those names and that year arrives', async () => {
    const sut = new PersonLinker();
    const store = new InMemoryLinkageStore();
    const records = [
      subject('r1', {
        tokens: [
          { kind: 'ndob', value: 'p' },
          { kind: 'nyr', value: 'y' },
        ],
        birthYear: 1999,
      }),
      subject('r2', { tokens: [{ kind: 'nyr', value: 'y' }], birthYear: 1999 }),
      subject('r3', {
        tokens: [
          { kind: 'ndob', value: 'q' },
          { kind: 'nyr', value: 'y' },
        ],
        birthYear: 1999,
      }),
    ];
    for (const record of records) {
      store.add(record);
      await sut.link(record, store);
    }
    expect([store.partition(), store.events.filter((e) => e.event === 'split').length]).toEqual([
      [['r1'], ['r2'], ['r3']],
      1,
    ]);
  });

  it('logs the token kind that joined a record', async () => {
    const sut = new PersonLinker();
    const store = new InMemoryLinkageStore();
    for (const record of [
      subject('r1', { tokens: [{ kind: 'ndob', value: 'p' }] }),
      subject('r2', { tokens: [{ kind: 'ndob', value: 'p' }] }),
    ]) {
      store.add(record);
      await sut.link(record, store);
    }
    expect(store.events).toEqual([
      expect.objectContaining({ event: 'joined', recordA: 'r1', recordB: 'r2', reason: ['ndob'] }),
    ]);
  });

  it('logs a merge of two persons with the edge that made it', async () => {
    const sut = new PersonLinker();
    const store = new InMemoryLinkageStore();
    for (const record of [
      subject('r1', { tokens: [{ kind: 'ndob', value: 'p' }] }),
      subject('r2', { tokens: [{ kind: 'doc', value: 'd' }] }),
      subject('r3', {
        tokens: [
          { kind: 'ndob', value: 'p' },
          { kind: 'doc', value: 'd' },
        ],
      }),
    ]) {
      store.add(record);
      await sut.link(record, store);
    }
    expect(store.events.map((e) => e.event)).toEqual(['merged', 'merged']);
  });

  it('gives the same persons in every arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(
        subjectsArbitrary.chain((subjects) =>
          fc.tuple(fc.constant(subjects), fc.shuffledSubarray(subjects, { minLength: subjects.length })),
        ),
        async ([subjects, shuffled]) => {
          expect(await linkAll(shuffled)).toEqual(await linkAll(subjects));
        },
      ),
      { numRuns: 300 },
    );
  });
});
