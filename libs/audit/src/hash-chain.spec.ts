import { describe, expect, it } from '@jest/globals';
import type { AuditEntry, ChainedAuditEntry } from './audit-entry.js';
import { chainHash, GENESIS_HASH, verifyChain } from './hash-chain.js';

function chain(entries: AuditEntry[]): ChainedAuditEntry[] {
  const out: ChainedAuditEntry[] = [];
  let prev = GENESIS_HASH;
  entries.forEach((entry, seq) => {
    const hash = chainHash(prev, seq, entry);
    out.push({ seq, prevHash: prev, hash, entry });
    prev = hash;
  });
  return out;
}

const entry = (n: number): AuditEntry => ({
  event: 'signal.received',
  at: `2020-01-0${n}T00:00:00Z`,
  correlationId: `c-${n}`,
  partnerId: 'p',
});

describe(verifyChain.name, () => {
  const sut = verifyChain;

  it('accepts an intact chain and reports its head', () => {
    const entries = chain([entry(1), entry(2), entry(3)]);
    expect(sut(entries)).toEqual({ ok: true, size: 3, head: entries[2].hash });
  });

  it('names the first edited entry', () => {
    const entries = chain([entry(1), entry(2), entry(3)]);
    entries[1] = { ...entries[1], entry: { ...entries[1].entry, partnerId: 'q' } };
    expect(sut(entries)).toEqual({ ok: false, firstBadSeq: 1, reason: 'hash' });
  });

  it('names a removed entry as a gap', () => {
    const entries = chain([entry(1), entry(2), entry(3)]);
    expect(sut([entries[0], entries[2]])).toEqual({ ok: false, firstBadSeq: 1, reason: 'gap' });
  });

  it('hashes key order independently (canonical JSON)', () => {
    const a = chainHash(GENESIS_HASH, 0, { event: 'signal.refused', at: 't', correlationId: 'c' });
    const b = chainHash(GENESIS_HASH, 0, { correlationId: 'c', at: 't', event: 'signal.refused' });
    expect(a).toBe(b);
  });
});
