import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntry, ChainedAuditEntry } from './audit-entry.js';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Hash of an entry linked to its predecessor: SHA-256 over the previous hash and the RFC 8785
 * canonical JSON of the entry.
 *
 * @example chainHash(GENESIS_HASH, 0, entry) // '3b1f…'
 */
export function chainHash(prevHash: string, seq: number, entry: AuditEntry): string {
  const canonical = canonicalize(entry);
  if (canonical === undefined) throw new Error('AUDIT.ENTRY_NOT_SERIALISABLE');
  return createHash('sha256').update(`${prevHash}\n${seq}\n${canonical}`).digest('hex');
}

export type ChainVerification =
  | { ok: true; size: number; head: string }
  | { ok: false; firstBadSeq: number; reason: 'gap' | 'prev-hash' | 'hash' };

/**
 * Recomputes the chain from the first entry and names the first sequence number where anything is wrong.
 *
 * @example verifyChain(entries).ok
 */
export function verifyChain(entries: readonly ChainedAuditEntry[]): ChainVerification {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const { seq, prevHash, hash, entry } = entries[i];
    if (seq !== i) return { ok: false, firstBadSeq: i, reason: 'gap' };
    if (prevHash !== prev) return { ok: false, firstBadSeq: seq, reason: 'prev-hash' };
    if (chainHash(prevHash, seq, entry) !== hash) return { ok: false, firstBadSeq: seq, reason: 'hash' };
    prev = hash;
  }
  return { ok: true, size: entries.length, head: prev };
}
