import { timingSafeEqual } from 'node:crypto';
import { AuditError } from './audit.error.js';
import { EMPTY_ROOT, HASH_SIZE, nodeHash, splitPoint } from './merkle-hash.js';
import type { MerkleNodeId } from './merkle-frontier.js';

/**
 * Which perfect subtrees a proof needs, and how to fold them into the proof hashes. Proofs are built in
 * two steps so a database can fetch every node in one query: `nodes` to read, then `assemble(hashes)`.
 */
export interface MerkleProofPlan {
  readonly nodes: readonly MerkleNodeId[];
  assemble(hashes: readonly Uint8Array[]): Buffer[];
}

/** An inclusion proof as exchanged in JSON (hashes base64, deepest sibling first). */
export interface InclusionProofJson {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
}

/** A consistency proof as exchanged in JSON. */
export interface ConsistencyProofJson {
  size1: number;
  size2: number;
  hashes: string[];
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

const isSize = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Splits [start, end) into aligned perfect subtrees, largest first (the MTH decomposition of a tree edge). */
export function rangeNodes(start: number, end: number): MerkleNodeId[] {
  const out: MerkleNodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= end) level += 1;
    out.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

function planFromRanges(ranges: [number, number][]): MerkleProofPlan {
  const groups = ranges.map(([a, b]) => rangeNodes(a, b));
  return {
    nodes: groups.flat(),
    assemble(hashes) {
      if (hashes.length !== this.nodes.length) {
        throw new AuditError(
          'AUDIT.PROOF_NODES',
          `expected ${this.nodes.length} node hashes, got ${hashes.length}`,
        );
      }
      let at = 0;
      return groups.map((group) => {
        const part = hashes.slice(at, (at += group.length));
        let r: Buffer = Buffer.from(part[part.length - 1]);
        for (let i = part.length - 2; i >= 0; i--) r = nodeHash(part[i], r);
        return r;
      });
    },
  };
}

/**
 * The nodes of the RFC 6962 audit path of leaf `index` in a tree of `size` leaves.
 *
 * @example inclusionProofPlan(5, 8).nodes // [{ level: 0, index: 4 }, { level: 1, index: 3 }, { level: 2, index: 0 }]
 */
export function inclusionProofPlan(index: number, size: number): MerkleProofPlan {
  if (!isSize(index) || !isSize(size) || index >= size) {
    throw new AuditError('AUDIT.PROOF_RANGE', `no leaf ${index} in a tree of size ${size}`);
  }
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  return planFromRanges(ranges.reverse());
}

/**
 * The nodes of the RFC 6962 consistency proof between sizes size1 ≤ size2 (empty when equal or size1 = 0).
 *
 * @example consistencyProofPlan(6, 8).nodes.length // 3
 */
export function consistencyProofPlan(size1: number, size2: number): MerkleProofPlan {
  if (!isSize(size1) || !isSize(size2) || size1 > size2) {
    throw new AuditError('AUDIT.PROOF_RANGE', `no consistency proof from size ${size1} to ${size2}`);
  }
  const ranges: [number, number][] = [];
  if (size1 > 0 && size1 < size2) {
    let lo = 0;
    let hi = size2;
    let m = size1;
    let complete = true;
    for (;;) {
      if (m === hi - lo) {
        if (!complete) ranges.push([lo, hi]);
        break;
      }
      const k = splitPoint(hi - lo);
      if (m <= k) {
        ranges.push([lo + k, hi]);
        hi = lo + k;
      } else {
        ranges.push([lo, lo + k]);
        lo += k;
        m -= k;
        complete = false;
      }
    }
  }
  return planFromRanges(ranges.reverse());
}

/** Reads perfect-subtree hashes by id, in the order asked (for example one SQL query). */
export type MerkleNodeReader = (ids: readonly MerkleNodeId[]) => Promise<readonly Uint8Array[]>;

/**
 * Reads the nodes a plan needs from a store that keeps only every `stride`-th level (level 0 = leaf hashes,
 * then 8, 16, …): each asked node is recomputed from at most 2^(stride-1) stored nodes below it.
 *
 * @example await readNodesFromStrata(plan.nodes, (ids) => repo.nodeHashes(ids), 8)
 */
export async function readNodesFromStrata(
  ids: readonly MerkleNodeId[],
  readStored: MerkleNodeReader,
  stride = 8,
): Promise<Buffer[]> {
  const wanted: MerkleNodeId[] = [];
  const spans = ids.map((id) => {
    const base = id.level - (id.level % stride);
    const width = 2 ** (id.level - base);
    const from = wanted.length;
    for (let i = 0; i < width; i++) wanted.push({ level: base, index: id.index * width + i });
    return { from, width };
  });
  const stored = wanted.length === 0 ? [] : await readStored(wanted);
  if (stored.length !== wanted.length) {
    throw new AuditError('AUDIT.PROOF_NODES', `asked ${wanted.length} stored nodes, got ${stored.length}`);
  }
  return spans.map(({ from, width }) => {
    let layer: Buffer[] = stored.slice(from, from + width).map((h) => Buffer.from(h));
    while (layer.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(nodeHash(layer[i], layer[i + 1]));
      layer = next;
    }
    return layer[0];
  });
}

/**
 * Builds an inclusion proof from stored nodes (see `readNodesFromStrata` for stores that keep strata).
 *
 * @example await buildInclusionProof(17, 1000, reader)
 */
export async function buildInclusionProof(
  index: number,
  size: number,
  read: MerkleNodeReader,
): Promise<Buffer[]> {
  const plan = inclusionProofPlan(index, size);
  return plan.assemble(plan.nodes.length === 0 ? [] : await read(plan.nodes));
}

/**
 * Builds a consistency proof from stored nodes.
 *
 * @example await buildConsistencyProof(100, 1000, reader)
 */
export async function buildConsistencyProof(
  size1: number,
  size2: number,
  read: MerkleNodeReader,
): Promise<Buffer[]> {
  const plan = consistencyProofPlan(size1, size2);
  return plan.assemble(plan.nodes.length === 0 ? [] : await read(plan.nodes));
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === HASH_SIZE && b.length === HASH_SIZE && timingSafeEqual(a, b);
}

const wellFormed = (proof: readonly Uint8Array[]): boolean =>
  Array.isArray(proof) && proof.every((p) => p instanceof Uint8Array && p.length === HASH_SIZE);

/**
 * RFC 9162 §2.1.3.2: is `leaf` the leaf at `index` of the tree of `size` leaves with this root?
 * False for any malformed input (index ≥ size, wrong path length, wrong sibling, wrong hash length).
 *
 * @example verifyInclusion(leafHash(entryText), 5, 8, proof, checkpointRoot) // true
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(index) || !isSize(size) || index >= size || !wellFormed(proof) || leaf?.length !== HASH_SIZE)
    return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2: is the tree of size2 with root2 an append-only extension of the tree of size1 with
 * root1? Size1 = 0 is consistent only with an empty proof and the empty root.
 *
 * @example verifyConsistency(100, 120, previous.root, next.root, proof) // true
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(size1) || !isSize(size2) || size1 > size2 || !wellFormed(proof)) return false;
  if (root1?.length !== HASH_SIZE || root2?.length !== HASH_SIZE) return false;
  if (size1 === size2) return proof.length === 0 && sameHash(root1, root2);
  if (size1 === 0) return proof.length === 0 && sameHash(root1, EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn /= 2;
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(fr, root1) && sameHash(sr, root2);
}
