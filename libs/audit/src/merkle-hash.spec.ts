import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { EMPTY_ROOT, leafHash, merkleTreeHash, nodeHash, splitPoint } from './merkle-hash.js';
import { CT_LEAVES, CT_ROOTS, referenceMth } from './testing/ct-vectors.fixture.js';

describe(merkleTreeHash.name, () => {
  const sut = merkleTreeHash;

  it('hashes the empty tree to SHA-256 of the empty string', () => {
    expect(sut([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each(CT_ROOTS.map((root, i) => [i + 1, root]))(
    'matches the CT reference root for %i leaves',
    (n, root) => {
      expect(sut(CT_LEAVES.slice(0, n as number).map((d) => leafHash(d))).toString('hex')).toBe(root);
    },
  );

  it.each(CT_ROOTS.map((root, i) => [i + 1, root]))(
    'agrees with the literal reference MTH for %i leaves',
    (n, root) => {
      expect(referenceMth(CT_LEAVES.slice(0, n as number)).toString('hex')).toBe(root);
    },
  );
});

describe(leafHash.name, () => {
  const sut = leafHash;

  it('prefixes 0x00 before hashing', () => {
    expect(sut(Buffer.from('00', 'hex')).toString('hex')).toBe(
      createHash('sha256').update(Buffer.from('0000', 'hex')).digest('hex'),
    );
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(sut('Łukasz {}').equals(sut(Buffer.from('Łukasz {}', 'utf8')))).toBe(true);
  });
});

describe(nodeHash.name, () => {
  const sut = nodeHash;

  it('prefixes 0x01 before the two children', () => {
    const l = leafHash('a');
    const r = leafHash('b');
    expect(
      sut(l, r).equals(
        createHash('sha256')
          .update(Buffer.concat([Buffer.from([1]), l, r]))
          .digest(),
      ),
    ).toBe(true);
  });

  it('refuses a child that is not 32 bytes', () => {
    expect(() => sut(Buffer.alloc(31), Buffer.alloc(32))).toThrow(RangeError);
  });
});

describe(splitPoint.name, () => {
  it.each([
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 4],
    [8, 4],
    [9, 8],
    [1_000_003, 524_288],
  ])('splits %i leaves at %i', (n, k) => {
    expect(splitPoint(n)).toBe(k);
  });

  it('keeps the empty root constant', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
