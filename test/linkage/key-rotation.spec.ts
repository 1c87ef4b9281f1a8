import { describe, expect, it } from '@jest/globals';
import { KeyRing, Pseudonymiser, generateKeyRingData, rotateKeyRingData } from '@ketenpoort/pseudonymisation';
import {
  InMemoryLinkageStore,
  PersonLinker,
  type LinkageSubject,
} from '../../apps/register/src/linkage/index.js';

// Register-level rotation test: records built by the gateway's Pseudonymiser (default: every non-retired
// version) pass through the register's PersonLinker. The register never sees a key.
const subject = { givenNames: 'Ngozi', familyName: 'Okafor', birthDate: '1996-03-14', sex: 'female' };
const record = (recordId: string, ring: KeyRing, s: Record<string, string> = subject): LinkageSubject => ({
  recordId,
  tokens: new Pseudonymiser(ring, 'register').linkageTokens(s),
  birthYear: 1996,
  sex: s.sex,
  birthDateEstimated: false,
});

async function link(records: LinkageSubject[]): Promise<InMemoryLinkageStore> {
  const sut = new PersonLinker();
  const store = new InMemoryLinkageStore();
  for (const r of records) {
    store.add(r);
    await sut.link(r, store);
  }
  return store;
}

describe('key rotation that keeps links', () => {
  const v1 = generateKeyRingData();
  const v2 = rotateKeyRingData(v1);
  const v2only = { ...v2, retired: [1] };

  it('keeps one person reported only before a rotation and again only after it', async () => {
    const store = await link([
      record('before', KeyRing.fromData(v1)),
      record('after', KeyRing.fromData(v2), { ...subject, givenNames: 'NGOZI', familyName: ' okafor ' }),
    ]);
    expect(store.partition()).toEqual([['after', 'before']]);
  });

  it('keeps one person reported only before and again only after, through a typo', async () => {
    const store = await link([
      record('before', KeyRing.fromData(v1)),
      record('after', KeyRing.fromData(v2), { ...subject, familyName: 'Okafr' }),
    ]);
    expect(store.partition()).toEqual([['after', 'before']]);
  });

  it('keeps one person reported during the rotation and after the old version is retired', async () => {
    const store = await link([
      record('during', KeyRing.fromData(v2)),
      record('retired', KeyRing.fromData(v2only)),
    ]);
    expect(store.partition()).toEqual([['during', 'retired']]);
  });

  it('loses the link when the old version is retired while its records are kept (why retirement waits)', async () => {
    const store = await link([
      record('before', KeyRing.fromData(v1)),
      record('retired', KeyRing.fromData(v2only)),
    ]);
    expect(store.partition()).toEqual([['before'], ['retired']]);
  });

  it('gives a new version a new number: versions are never reused', () => {
    expect([KeyRing.fromData(v2).versions(), KeyRing.fromData(rotateKeyRingData(v2only)).versions()]).toEqual(
      [
        [1, 2],
        [1, 2, 3],
      ],
    );
  });
});
