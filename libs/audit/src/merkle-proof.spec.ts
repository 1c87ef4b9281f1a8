import { describe, expect, it } from '@jest/globals';
import { leafHash, merkleTreeHash } from './merkle-hash.js';
import {
  buildConsistencyProof,
  buildInclusionProof,
  consistencyProofPlan,
  inclusionProofPlan,
  readNodesFromStrata,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proof.js';
import { MerkleFrontier, type MerkleNodeId } from './merkle-frontier.js';
import { MerkleTree } from './merkle-tree.js';
import { CT_CONSISTENCY, CT_INCLUSION, CT_LEAVES, CT_ROOTS } from './testing/ct-vectors.fixture.js';

const hex = (hs: Buffer[]) => hs.map((h) => h.toString('hex'));
const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));
const flip = (h: Uint8Array) => {
  const copy = Buffer.from(h);
  copy[7] ^= 0x01;
  return copy;
};

describe(MerkleTree.name, () => {
  const sut = MerkleTree.fromLeafHashes(CT_LEAVES.map((d) => leafHash(d)));

  it.each(CT_INCLUSION)(
    'reproduces the CT inclusion path of leaf %i in a tree of %i',
    (index, size, path) => {
      expect(hex(sut.inclusionProof(index, size))).toEqual(path);
    },
  );

  it.each(CT_CONSISTENCY)('reproduces the CT consistency proof from %i to %i', (m, n, path) => {
    expect(hex(sut.consistencyProof(m, n))).toEqual(path);
  });

  it.each(CT_ROOTS.map((r, i) => [i + 1, r]))('has the CT root at size %i', (n, root) => {
    expect(sut.root(n as number).toString('hex')).toBe(root);
  });
});

describe(verifyInclusion.name, () => {
  const sut = verifyInclusion;

  it.each(CT_INCLUSION)('accepts the CT inclusion path of leaf %i in a tree of %i', (index, size, path) => {
    const proof = path.map((h) => Buffer.from(h, 'hex'));
    expect(sut(leafHash(CT_LEAVES[index]), index, size, proof, Buffer.from(CT_ROOTS[size - 1], 'hex'))).toBe(
      true,
    );
  });

  it('accepts every leaf of every tree of size 1..64 and rejects each with a flipped sibling', () => {
    const all = leaves(64);
    const tree = MerkleTree.fromLeafHashes(all);
    let checked = 0;
    for (let n = 1; n <= 64; n++) {
      const root = merkleTreeHash(all.slice(0, n));
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(sut(all[i], i, n, proof, root)).toBe(true);
        for (let k = 0; k < proof.length; k++) {
          const bad = proof.map((p, j) => (j === k ? flip(p) : p));
          expect(sut(all[i], i, n, bad, root)).toBe(false);
        }
        checked += 1;
      }
    }
    expect(checked).toBe((64 * 65) / 2);
  });

  describe('adversarial proofs', () => {
    const all = leaves(13);
    const tree = MerkleTree.fromLeafHashes(all);
    const root = tree.root();
    const proof = tree.inclusionProof(6);

    it('accepts the honest proof', () => {
      expect(sut(all[6], 6, 13, proof, root)).toBe(true);
    });

    it('rejects a path one hash too long', () => {
      expect(sut(all[6], 6, 13, [...proof, proof[0]], root)).toBe(false);
    });

    it('rejects a path one hash too short', () => {
      expect(sut(all[6], 6, 13, proof.slice(0, -1), root)).toBe(false);
    });

    it('rejects the proof for another size, each with its own root', () => {
      const bigger = MerkleTree.fromLeafHashes([...all, leafHash('14th')]);
      expect(sut(all[6], 6, 14, proof, bigger.root())).toBe(false);
      expect(sut(all[6], 6, 12, proof, tree.root(12))).toBe(false);
      expect(sut(all[6], 6, 8, proof, tree.root(8))).toBe(false);
    });

    it('rejects index ≥ size', () => {
      expect(sut(all[6], 13, 13, proof, root)).toBe(false);
    });

    it('rejects another index', () => {
      expect(sut(all[6], 7, 13, proof, root)).toBe(false);
    });

    it('rejects another leaf', () => {
      expect(sut(all[5], 6, 13, proof, root)).toBe(false);
    });

    it('rejects a wrong root', () => {
      expect(sut(all[6], 6, 13, proof, flip(root))).toBe(false);
    });

    it('rejects siblings in the wrong order', () => {
      expect(sut(all[6], 6, 13, [...proof].reverse(), root)).toBe(false);
    });

    it('rejects a sibling that is not 32 bytes', () => {
      expect(sut(all[6], 6, 13, [proof[0].subarray(0, 31), ...proof.slice(1)], root)).toBe(false);
    });

    it('rejects a negative or fractional index', () => {
      expect(sut(all[6], -1, 13, proof, root)).toBe(false);
      expect(sut(all[6], 6.5, 13, proof, root)).toBe(false);
    });
  });

  it('proves leaves of a tree of 1,000,003 leaves against its root and older roots', () => {
    const tree = new MerkleTree();
    for (let i = 0; i < 1_000_003; i++) tree.append(leafHash(`entry ${i}`));
    const roots = new Map([1, 524_288, 524_289, 999_999, 1_000_003].map((size) => [size, tree.root(size)]));
    for (const [size, root] of roots) {
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        const leaf = leafHash(`entry ${index}`);
        expect(sut(leaf, index, size, tree.inclusionProof(index, size), root)).toBe(true);
        expect(sut(leaf, index, size, tree.inclusionProof(index, size), flip(root))).toBe(false);
      }
    }
    for (const [m, rm] of roots) {
      for (const [n, rn] of roots) {
        if (m > n) continue;
        expect(verifyConsistency(m, n, rm, rn, tree.consistencyProof(m, n))).toBe(true);
      }
    }
  }, 180_000);
});

describe(verifyConsistency.name, () => {
  const sut = verifyConsistency;

  it.each(CT_CONSISTENCY)('accepts the CT consistency proof from %i to %i', (m, n, path) => {
    const proof = path.map((h) => Buffer.from(h, 'hex'));
    expect(sut(m, n, Buffer.from(CT_ROOTS[m - 1], 'hex'), Buffer.from(CT_ROOTS[n - 1], 'hex'), proof)).toBe(
      true,
    );
  });

  it('accepts every m ≤ n ≤ 64 and rejects each with a flipped hash', () => {
    const all = leaves(64);
    const tree = MerkleTree.fromLeafHashes(all);
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(sut(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
        for (let k = 0; k < proof.length; k++) {
          expect(
            sut(
              m,
              n,
              tree.root(m),
              tree.root(n),
              proof.map((p, j) => (j === k ? flip(p) : p)),
            ),
          ).toBe(false);
        }
      }
    }
  });

  describe('adversarial proofs', () => {
    const tree = MerkleTree.fromLeafHashes(leaves(21));
    const [r7, r21] = [tree.root(7), tree.root(21)];
    const proof = tree.consistencyProof(7, 21);

    it('accepts the honest proof', () => {
      expect(sut(7, 21, r7, r21, proof)).toBe(true);
    });

    it('rejects a proof with an extra hash', () => {
      expect(sut(7, 21, r7, r21, [...proof, proof[0]])).toBe(false);
    });

    it('rejects a proof missing a hash', () => {
      expect(sut(7, 21, r7, r21, proof.slice(1))).toBe(false);
    });

    it('rejects the proof for other sizes, each with its own root', () => {
      expect(sut(6, 21, tree.root(6), r21, proof)).toBe(false);
      expect(sut(7, 20, r7, tree.root(20), proof)).toBe(false);
      expect(sut(8, 21, tree.root(8), r21, proof)).toBe(false);
    });

    it('rejects size1 > size2', () => {
      expect(sut(21, 7, r21, r7, proof)).toBe(false);
    });

    it('rejects a rewritten history (old root not a prefix)', () => {
      const forked = MerkleTree.fromLeafHashes([...leaves(6), leafHash('forged'), ...leaves(21).slice(7)]);
      expect(sut(7, 21, r7, forked.root(), proof)).toBe(false);
      expect(sut(7, 21, r7, forked.root(), forked.consistencyProof(7, 21))).toBe(false);
    });

    it('rejects an empty proof between different sizes', () => {
      expect(sut(7, 21, r7, r21, [])).toBe(false);
    });

    it('accepts equal sizes only with equal roots and an empty proof', () => {
      expect(sut(21, 21, r21, r21, [])).toBe(true);
      expect(sut(21, 21, r21, r7, [])).toBe(false);
      expect(sut(21, 21, r21, r21, [r7])).toBe(false);
    });
  });
});

describe(readNodesFromStrata.name, () => {
  const all = leaves(1000);
  const tree = MerkleTree.fromLeafHashes(all);
  const stored = new Map<string, Buffer>(all.map((h, i) => [`0/${i}`, h]));
  const frontier = MerkleFrontier.empty();
  for (const leaf of all) {
    frontier.append(leaf, (node) => {
      if (node.level % 4 === 0) stored.set(`${node.level}/${node.index}`, node.hash);
    });
  }
  let reads = 0;
  const readStored = async (ids: readonly MerkleNodeId[]) => {
    reads += ids.length;
    return ids.map((id) => {
      const h = stored.get(`${id.level}/${id.index}`);
      if (!h) throw new Error(`node ${id.level}/${id.index} not stored`);
      return h;
    });
  };
  const sut = (ids: readonly MerkleNodeId[]) => readNodesFromStrata(ids, readStored, 4);

  it('builds the same inclusion proofs as the full tree from every 4th level only', async () => {
    for (const [index, size] of [
      [0, 1000],
      [517, 1000],
      [999, 1000],
      [300, 777],
    ]) {
      expect(hex(await buildInclusionProof(index, size, sut))).toEqual(hex(tree.inclusionProof(index, size)));
    }
  });

  it('builds the same consistency proofs as the full tree', async () => {
    expect(hex(await buildConsistencyProof(333, 1000, sut))).toEqual(hex(tree.consistencyProof(333, 1000)));
  });

  it('reads at most 2^(stride-1) stored nodes per asked node', async () => {
    reads = 0;
    const plan = inclusionProofPlan(517, 1000);
    await sut(plan.nodes);
    expect(reads).toBeLessThanOrEqual(plan.nodes.length * 8);
  });
});

describe(consistencyProofPlan.name, () => {
  it('refuses size1 > size2', () => {
    expect(() => consistencyProofPlan(5, 4)).toThrow(expect.objectContaining({ code: 'AUDIT.PROOF_RANGE' }));
  });

  it('needs no nodes from the empty tree', () => {
    expect(consistencyProofPlan(0, 9).nodes).toEqual([]);
  });
});

describe(inclusionProofPlan.name, () => {
  it('refuses index ≥ size', () => {
    expect(() => inclusionProofPlan(4, 4)).toThrow(expect.objectContaining({ code: 'AUDIT.PROOF_RANGE' }));
  });
});
