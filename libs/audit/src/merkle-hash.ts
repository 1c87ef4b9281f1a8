import { hash } from 'node:crypto';

/** Length in bytes of every Merkle hash (SHA-256). */
export const HASH_SIZE = 32;

/** MTH({}) = SHA-256 of the empty string (RFC 6962 §2.1). */
export const EMPTY_ROOT: Buffer = hash('sha256', '', 'buffer');

const scratch = Buffer.alloc(1 + 2 * HASH_SIZE);
scratch[0] = 0x01;

/**
 * RFC 6962 leaf hash: SHA-256(0x00 ‖ data). A string is hashed as its UTF-8 bytes.
 *
 * @example leafHash(new Uint8Array()).toString('hex') // '6e340b9c…'
 */
export function leafHash(data: Uint8Array | string): Buffer {
  if (typeof data === 'string') return hash('sha256', '\u0000' + data, 'buffer');
  const buf = Buffer.allocUnsafe(data.length + 1);
  buf[0] = 0x00;
  buf.set(data, 1);
  return hash('sha256', buf, 'buffer');
}

/**
 * RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right).
 *
 * @example nodeHash(leafHash(''), leafHash('a'))
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    throw new RangeError('node children must be 32 bytes');
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', scratch, 'buffer');
}

/**
 * The largest power of two strictly below n (n ≥ 2): the split point k of RFC 6962 MTH.
 *
 * @example splitPoint(5) // 4
 */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError('splitPoint needs an integer n ≥ 2');
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH over leaf hashes [start, end) by the RFC 6962 recursion. O(n) time; meant for small ranges, tests
 * and as the reference the incremental structures are checked against.
 *
 * @example merkleTreeHash([leafHash('a'), leafHash('b')])
 */
export function merkleTreeHash(
  leafHashes: readonly Uint8Array[],
  start = 0,
  end = leafHashes.length,
): Buffer {
  const n = end - start;
  if (n === 0) return Buffer.from(EMPTY_ROOT);
  if (n === 1) return Buffer.from(leafHashes[start]);
  const k = splitPoint(n);
  return nodeHash(merkleTreeHash(leafHashes, start, start + k), merkleTreeHash(leafHashes, start + k, end));
}
