import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InMemoryLinkageStore } from './in-memory-linkage.store.js';
import type { LinkageSubject } from './linkage-subject.js';
import { PersonLinker } from './person-linker.js';

const subject = (recordId: string, tokens: LinkageSubject['tokens']): LinkageSubject => ({
  recordId,
  tokens,
  birthYear: 1999,
  sex: 'female',
  birthDateEstimated: false,
});

async function linked(subjects: readonly LinkageSubject[]) {
  const sut = new PersonLinker();
  const store = new InMemoryLinkageStore();
  for (const s of subjects) {
    store.add(s);
    await sut.link(s, store);
  }
  return { sut, store };
}

const subjectsArbitrary = fc
  .array(
    fc.record({
      tokens: fc.uniqueArray(
        fc.record({
          kind: fc.constantFrom('nds', 'doc', 'case', 'ndob', 'sdob', 'near', 'phon', 'nyr', 'pyr'),
          value: fc.constantFrom('a', 'b', 'c'),
        }),
        { maxLength: 3, selector: (t) => `${t.kind}.${t.value}` },
      ),
      birthYear: fc.option(fc.integer({ min: 1998, max: 2001 }), { nil: null }),
      sex: fc.option(fc.constantFrom('female', 'male', 'unknown'), { nil: null }),
      birthDateEstimated: fc.boolean(),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((rows) => rows.map((row, i) => ({ ...row, recordId: `r${String(i).padStart(2, '0')}` })));

describe(`${PersonLinker.name}.unlink`, () => {
  it('removes the person a record alone made', async () => {
    const { sut, store } = await linked([subject('r1', [{ kind: 'ndob', value: 'x' }])]);
    const result = await sut.unlink(subject('r1', [{ kind: 'ndob', value: 'x' }]), store, async () =>
      store.remove('r1'),
    );
    expect(result.deletedPersonIds).toHaveLength(1);
    expect(store.personCount()).toBe(0);
  });

  it('splits a person the removed record alone held together', async () => {
    const a = subject('ra', [{ kind: 'ndob', value: 'x' }]);
    const bridge = subject('rb', [
      { kind: 'ndob', value: 'x' },
      { kind: 'doc', value: 'y' },
    ]);
    const c = subject('rc', [{ kind: 'doc', value: 'y' }]);
    const { sut, store } = await linked([a, bridge, c]);
    expect(store.personCount()).toBe(1);
    const result = await sut.unlink(bridge, store, async () => store.remove('rb'));
    expect(store.partition()).toEqual([['ra'], ['rc']]);
    expect(result.splitPersonIds).toEqual([result.formerPersonId]);
    expect(store.events.at(-1)).toMatchObject({ event: 'split', reason: ['removed'] });
  });

  it('leaves the persons equal to linking every other record from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(subjectsArbitrary, fc.nat(), async (subjects, pick) => {
        const gone = subjects[pick % subjects.length];
        const { sut, store } = await linked(subjects);
        await sut.unlink(gone, store, async () => store.remove(gone.recordId));
        const expected = await linked(subjects.filter((s) => s !== gone));
        expect(store.partition()).toEqual(expected.store.partition());
      }),
      { numRuns: 150 },
    );
  });
});
