import { AuditError } from './audit.error.js';
import { EMPTY_ROOT, HASH_SIZE, nodeHash } from './merkle-hash.js';

/** A perfect subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). Level 0 is a leaf hash. */
export interface MerkleNodeId {
  level: number;
  index: number;
}

/** A perfect subtree with its hash, as emitted while appending. */
export interface MerkleNode extends MerkleNodeId {
  hash: Buffer;
}

/** The frontier as stored in one database row: the size and one base64 hash per set bit, largest first. */
export interface MerkleFrontierJson {
  size: number;
  hashes: string[];
}

const pow2 = (level: number): number => 2 ** level;

function popcount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}

/**
 * The compact range [0, size) of an RFC 6962 tree: the roots of its perfect subtrees, one per set bit of
 * size, largest first. Appending a leaf costs amortised one node hash, memory stays O(log n), and the
 * root is available at any size, so the gateway can integrate a batch from this one row without reading
 * earlier leaves.
 *
 * @example
 * const f = MerkleFrontier.empty();
 * f.append(leafHash(canonicalEntry));
 * f.root().toString('base64');
 */
export class MerkleFrontier {
  private constructor(
    private count: number,
    private readonly hashes: Buffer[],
  ) {}

  /** The frontier of the empty tree. */
  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /**
   * Restores a frontier persisted with `toJSON()`; refuses a malformed one.
   *
   * @example MerkleFrontier.fromJSON(JSON.parse(row.frontier)).size
   */
  static fromJSON(json: MerkleFrontierJson): MerkleFrontier {
    const ok =
      json !== null &&
      typeof json === 'object' &&
      Number.isSafeInteger(json.size) &&
      json.size >= 0 &&
      Array.isArray(json.hashes) &&
      json.hashes.length === popcount(json.size);
    if (!ok) throw new AuditError('AUDIT.FRONTIER_INVALID', 'frontier size and hash count disagree');
    const hashes = json.hashes.map((h) =>
      typeof h === 'string' ? Buffer.from(h, 'base64') : Buffer.alloc(0),
    );
    if (hashes.some((h) => h.length !== HASH_SIZE)) {
      throw new AuditError('AUDIT.FRONTIER_INVALID', 'frontier hash is not 32 bytes of base64');
    }
    return new MerkleFrontier(json.size, hashes);
  }

  /** Number of leaves appended. */
  get size(): number {
    return this.count;
  }

  /**
   * Appends one leaf hash. `onNode` receives every perfect subtree (level ≥ 1) this append completes, for
   * callers that persist interior nodes to serve proofs.
   *
   * @example frontier.append(leafHash('…'), (node) => nodes.push(node))
   */
  append(leaf: Uint8Array, onNode?: (node: MerkleNode) => void): void {
    this.appendSubtree(0, leaf, onNode);
  }

  /**
   * Appends the hash of a perfect subtree of 2^level leaves; the size must be a multiple of 2^level.
   *
   * @example frontier.appendSubtree(12, chunkRoot)
   */
  appendSubtree(level: number, subtreeHash: Uint8Array, onNode?: (node: MerkleNode) => void): void {
    if (subtreeHash.length !== HASH_SIZE) throw new AuditError('AUDIT.HASH_INVALID', 'hash is not 32 bytes');
    const width = pow2(level);
    if (this.count % width !== 0) {
      throw new AuditError('AUDIT.FRONTIER_UNALIGNED', `size ${this.count} is not a multiple of 2^${level}`);
    }
    let h = Buffer.isBuffer(subtreeHash) ? subtreeHash : Buffer.from(subtreeHash);
    let s = this.count / width;
    let l = level;
    const end = this.count + width;
    while (s % 2 === 1) {
      h = nodeHash(this.hashes.pop()!, h);
      s = (s - 1) / 2;
      l += 1;
      if (onNode) onNode({ level: l, index: end / pow2(l) - 1, hash: h });
    }
    this.hashes.push(h);
    this.count = end;
  }

  /** MTH of the leaves so far (SHA-256("") when empty). */
  root(): Buffer {
    if (this.hashes.length === 0) return Buffer.from(EMPTY_ROOT);
    let r = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) r = nodeHash(this.hashes[i], r);
    return r;
  }

  /** The perfect subtrees of the frontier, largest first. */
  nodes(): MerkleNode[] {
    const out: MerkleNode[] = [];
    let offset = 0;
    let i = 0;
    for (let level = 53; level >= 0; level--) {
      const width = pow2(level);
      if (Math.floor(this.count / width) % 2 === 1) {
        out.push({ level, index: offset / width, hash: this.hashes[i++] });
        offset += width;
      }
    }
    return out;
  }

  /** An independent copy. */
  clone(): MerkleFrontier {
    return new MerkleFrontier(this.count, [...this.hashes]);
  }

  /** The form persisted in one row (a few hundred bytes even for 2^40 leaves). */
  toJSON(): MerkleFrontierJson {
    return { size: this.count, hashes: this.hashes.map((h) => h.toString('base64')) };
  }
}
