import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { subject, subjectsArbitrary } from './__fixtures__/linkage-subjects.fixture.js';
import { BatchLinkageStore } from './batch-linkage.store.js';
import { InMemoryLinkageStore } from './in-memory-linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';
import { PersonLinker } from './person-linker.js';
import { personPartition } from './person-partition.js';

/** Links `batches` one after the other, each as the register's batch intake does: stored first, then linked. */
async function linkInBatches(base: InMemoryLinkageStore, batches: LinkageSubject[][]): Promise<number[]> {
  const linker = new PersonLinker();
  const queries: number[] = [];
  for (const batch of batches) {
    batch.forEach((s) => base.add(s));
    const sut = new BatchLinkageStore(base);
    await sut.prefetch(batch);
    for (const s of batch) await linker.link(s, sut);
    await sut.flush();
    queries.push(sut.queries);
  }
  return queries;
}

/** Splits `subjects` into consecutive batches at the given cut points. */
const batchesOf = (subjects: LinkageSubject[], cuts: number[]) => {
  const at = [...new Set([0, ...cuts.map((c) => c % (subjects.length + 1)), subjects.length])].sort(
    (x, y) => x - y,
  );
  return at.slice(1).map((to, i) => subjects.slice(at[i], to));
};

describe(BatchLinkageStore.name, () => {
  it('ends with the partition of all records, however the records are cut into batches', async () => {
    await fc.assert(
      fc.asyncProperty(
        subjectsArbitrary,
        fc.array(fc.nat({ max: 20 }), { maxLength: 4 }),
        async (subjects, cuts) => {
          const base = new InMemoryLinkageStore();
          await linkInBatches(base, batchesOf(subjects, cuts));
          expect(base.partition()).toEqual(personPartition(subjects).persons);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('links a batch of unrelated records with the prefetch queries and one flush', async () => {
    const base = new InMemoryLinkageStore();
    const batch = Array.from({ length: 50 }, (_, i) =>
      subject(`r${i}`, { tokens: [{ kind: 'nds', value: `n${i}` }] }),
    );
    const [queries] = await linkInBatches(base, [batch]);
    expect(base.personCount()).toBe(50);
    // One read for the shared tokens, one for persons (none yet), one write.
    expect(queries).toBe(3);
  });

  it('reads the persons of earlier batches once, and writes the link log', async () => {
    const base = new InMemoryLinkageStore();
    const first = [subject('a1', { tokens: [{ kind: 'nds', value: 'n' }] })];
    const second = [
      subject('b1', { tokens: [{ kind: 'nds', value: 'n' }] }),
      subject('b2', {
        tokens: [
          { kind: 'nds', value: 'n' },
          { kind: 'doc', value: 'd' },
        ],
      }),
    ];
    await linkInBatches(base, [first, second]);
    expect(base.partition()).toEqual([['a1', 'b1', 'b2']]);
    expect(base.events.map((e) => [e.event, e.recordA, e.recordB])).toEqual(
      expect.arrayContaining([expect.arrayContaining(['joined', 'a1'])]),
    );
  });

  it('never writes a person that was created and emptied within one flush', async () => {
    const base = new InMemoryLinkageStore();
    const created: string[] = [];
    const applyChanges = base.applyChanges.bind(base);
    base.applyChanges = async (changes) => {
      created.push(...changes.createdPersons);
      return applyChanges(changes);
    };
    // r1 and r2 first become two persons, r3 links them: one of the two persons made in this batch disappears.
    const batch = [
      subject('r1', { tokens: [{ kind: 'nds', value: 'n' }] }),
      subject('r2', { tokens: [{ kind: 'doc', value: 'd' }] }),
      subject('r3', {
        tokens: [
          { kind: 'nds', value: 'n' },
          { kind: 'doc', value: 'd' },
        ],
      }),
    ];
    await linkInBatches(base, [batch]);
    expect(base.partition()).toEqual([['r1', 'r2', 'r3']]);
    expect(created).toEqual([base.personOf('r1')]);
  });

  it('asks the underlying store about a token no batch record holds, after writing what it holds', async () => {
    const base = new InMemoryLinkageStore();
    const far = subject('far', { tokens: [{ kind: 'doc', value: 'elsewhere' }] });
    base.add(far);
    const batch = [subject('b1', { tokens: [{ kind: 'nds', value: 'n' }] })];
    batch.forEach((s) => base.add(s));
    const sut = new BatchLinkageStore(base);
    await sut.prefetch(batch);
    const person = await sut.createPerson();
    await sut.assignRecords(person, ['b1']);
    expect(await sut.subjectsSharingTokens([{ kind: 'doc', value: 'elsewhere' }])).toEqual([far]);
    // The answer came after the pending membership was written.
    expect(base.personOf('b1')).toBe(person);
    expect((await sut.subjectsSharingTokens([{ kind: 'nds', value: 'n' }])).map((s) => s.recordId)).toEqual([
      'b1',
    ]);
  });

  it('answers for a person with the records assigned to it since the prefetch', async () => {
    const base = new InMemoryLinkageStore();
    const earlier = subject('a1', { tokens: [{ kind: 'nds', value: 'n' }] });
    base.add(earlier);
    const person = await base.createPerson();
    await base.assignRecords(person, ['a1']);
    const batch = [subject('b1', { tokens: [{ kind: 'doc', value: 'd' }] })];
    batch.forEach((s) => base.add(s));
    const sut = new BatchLinkageStore(base);
    await sut.prefetch([...batch, earlier]);
    await sut.assignRecords(person, ['b1']);
    expect((await sut.subjectsOfPersons([person])).map((s) => s.recordId).sort()).toEqual(['a1', 'b1']);
    const other = await sut.createPerson();
    await sut.assignRecords(other, ['b1']);
    expect((await sut.subjectsOfPersons([person])).map((s) => s.recordId)).toEqual(['a1']);
    expect(await sut.personsOf(['a1', 'b1'])).toEqual(
      new Map([
        ['a1', person],
        ['b1', other],
      ]),
    );
  });

  it('widens the prefetch along the tokens of what it found, so linking asks the database nothing more', async () => {
    const base = new InMemoryLinkageStore();
    const linker = new PersonLinker();
    // Earlier: a and c share a document; the new record b shares only a weak name-and-year key with a.
    const a = subject('a', {
      tokens: [
        { kind: 'nyr', value: 'y' },
        { kind: 'doc', value: 'd' },
      ],
      birthYear: 1990,
    });
    const c = subject('c', { tokens: [{ kind: 'doc', value: 'd' }], birthYear: 1990 });
    await linkInBatches(base, [[a, c]]);
    const b = subject('b', { tokens: [{ kind: 'nyr', value: 'y' }], birthYear: 1990 });
    base.add(b);
    const sut = new BatchLinkageStore(base);
    await sut.prefetch([b]);
    const afterPrefetch = sut.queries;
    await linker.link(b, sut);
    await sut.flush();
    expect(sut.queries).toBe(afterPrefetch + 1);
    expect(base.partition()).toEqual(personPartition([a, b, c]).persons);
  });
});
