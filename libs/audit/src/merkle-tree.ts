import { AuditError } from './audit.error.js';
import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './merkle-hash.js';
import { MerkleFrontier, type MerkleNode, type MerkleNodeId } from './merkle-frontier.js';
import {
  consistencyProofPlan,
  inclusionProofPlan,
  rangeNodes,
  type MerkleNodeReader,
} from './merkle-proof.js';

/** One level of perfect-subtree hashes in a single growable buffer (32 bytes a slot). */
class Level {
  private buf = Buffer.alloc(HASH_SIZE * 64);
  count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_SIZE > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger);
      this.buf = bigger;
    }
    this.buf.set(hash, this.count * HASH_SIZE);
    this.count += 1;
  }

  get(index: number): Buffer {
    return this.buf.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}

/**
 * An in-memory RFC 6962 tree over leaf hashes that keeps every perfect subtree (2n hashes in flat
 * buffers), so roots at any earlier size and proofs cost O(log n). For tests, tools and logs that fit in
 * memory; the gateway keeps the same nodes in its database and uses `buildInclusionProof`.
 *
 * @example
 * const sut = MerkleTree.fromLeafHashes(hashes);
 * verifyInclusion(hashes[3], 3, sut.size, sut.inclusionProof(3), sut.root()) // true
 */
export class MerkleTree {
  private readonly levels: Level[] = [new Level()];
  private readonly frontier = MerkleFrontier.empty();

  /** Builds a tree from leaf hashes in index order. */
  static fromLeafHashes(leafHashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leafHashes) tree.append(leaf);
    return tree;
  }

  get size(): number {
    return this.frontier.size;
  }

  /** Appends one leaf hash. */
  append(leaf: Uint8Array): void {
    this.levels[0].push(leaf);
    this.frontier.append(leaf, (node: MerkleNode) => {
      if (!this.levels[node.level]) this.levels[node.level] = new Level();
      this.levels[node.level].push(node.hash);
    });
  }

  /** The hash of a perfect subtree that is complete at the current size. */
  node(level: number, index: number): Buffer {
    const stored = this.levels[level];
    if (!stored || !Number.isSafeInteger(index) || index < 0 || index >= stored.count) {
      throw new AuditError('AUDIT.NODE_MISSING', `no complete node at level ${level}, index ${index}`);
    }
    return stored.get(index);
  }

  /** MTH of the first `size` leaves. */
  root(size = this.size): Buffer {
    this.checkSize(size);
    const nodes = rangeNodes(0, size);
    if (nodes.length === 0) return Buffer.from(EMPTY_ROOT);
    let r = this.node(nodes[nodes.length - 1].level, nodes[nodes.length - 1].index);
    for (let i = nodes.length - 2; i >= 0; i--) r = nodeHash(this.node(nodes[i].level, nodes[i].index), r);
    return r;
  }

  /** Audit path of leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size = this.size): Buffer[] {
    this.checkSize(size);
    const plan = inclusionProofPlan(index, size);
    return plan.assemble(plan.nodes.map((id) => this.node(id.level, id.index)));
  }

  /** Consistency proof from size1 to size2. */
  consistencyProof(size1: number, size2 = this.size): Buffer[] {
    this.checkSize(size2);
    const plan = consistencyProofPlan(size1, size2);
    return plan.assemble(plan.nodes.map((id) => this.node(id.level, id.index)));
  }

  /** This tree as a node reader, the shape `buildInclusionProof` takes. */
  reader(): MerkleNodeReader {
    return async (ids: readonly MerkleNodeId[]) => ids.map((id) => this.node(id.level, id.index));
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new AuditError('AUDIT.PROOF_RANGE', `size ${size} is beyond the tree (${this.size})`);
    }
  }
}
