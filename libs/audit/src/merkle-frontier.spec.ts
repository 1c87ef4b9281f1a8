import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { leafHash, merkleTreeHash } from './merkle-hash.js';
import { MerkleFrontier, type MerkleNode } from './merkle-frontier.js';
import { MerkleTree } from './merkle-tree.js';

const leaves = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => leafHash(`${seed}:${i}`));

describe(MerkleFrontier.name, () => {
  it('has the root of the full MTH at every random size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer(), (n, seed) => {
        const all = leaves(n, seed);
        const sut = MerkleFrontier.empty();
        all.forEach((h) => sut.append(h));
        expect(sut.root().equals(merkleTreeHash(all))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps one hash per set bit of the size', () => {
    const sut = MerkleFrontier.empty();
    leaves(0b1011011).forEach((h) => sut.append(h));
    expect(sut.toJSON().hashes).toHaveLength(5);
  });

  it('continues from its JSON form as if never persisted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (a, b) => {
        const all = leaves(a + b);
        const first = MerkleFrontier.empty();
        all.slice(0, a).forEach((h) => first.append(h));
        const sut = MerkleFrontier.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
        all.slice(a).forEach((h) => sut.append(h));
        expect(sut.size).toBe(a + b);
        expect(sut.root().equals(merkleTreeHash(all))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a persisted frontier whose hash count does not fit its size', () => {
    const json = MerkleFrontier.empty().toJSON();
    expect(() => MerkleFrontier.fromJSON({ ...json, size: 3 })).toThrow(
      expect.objectContaining({ code: 'AUDIT.FRONTIER_INVALID' }),
    );
  });

  it('refuses a persisted hash that is not 32 bytes', () => {
    expect(() => MerkleFrontier.fromJSON({ size: 1, hashes: ['AAAA'] })).toThrow(
      expect.objectContaining({ code: 'AUDIT.FRONTIER_INVALID' }),
    );
  });

  it('emits every completed perfect subtree with the hash the full tree has there', () => {
    const all = leaves(100);
    const tree = MerkleTree.fromLeafHashes(all);
    const nodes: MerkleNode[] = [];
    const sut = MerkleFrontier.empty();
    all.forEach((h) => sut.append(h, (node) => nodes.push(node)));
    expect(nodes).toHaveLength(100 - 3);
    for (const node of nodes) expect(node.hash.equals(tree.node(node.level, node.index))).toBe(true);
  });

  it('appends a perfect subtree as if its leaves were appended one by one', () => {
    const all = leaves(48);
    const sut = MerkleFrontier.empty();
    all.slice(0, 32).forEach((h) => sut.append(h));
    sut.appendSubtree(4, merkleTreeHash(all.slice(32)));
    expect(sut.root().equals(merkleTreeHash(all))).toBe(true);
  });

  it('refuses a subtree that is not aligned to its size', () => {
    const sut = MerkleFrontier.empty();
    leaves(3).forEach((h) => sut.append(h));
    expect(() => sut.appendSubtree(1, leafHash('x'))).toThrow(
      expect.objectContaining({ code: 'AUDIT.FRONTIER_UNALIGNED' }),
    );
  });

  it('has the empty root when empty', () => {
    expect(MerkleFrontier.empty().root().toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
