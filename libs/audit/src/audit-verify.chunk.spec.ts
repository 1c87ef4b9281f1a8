import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AuditEntry } from './audit-entry.js';
import { formatEntryLine, type ExportedEntry } from './audit-export.format.js';
import { auditLeafHash, redactionEntry } from './audit-leaf.js';
import { verifyEntryChunk, type ChunkNode } from './audit-verify.chunk.js';
import { MerkleFrontier } from './merkle-frontier.js';
import { commitSubjects } from './subject-commitment.js';
import { aDecisionEntry } from './testing/audit-log.fixture.js';

/** An exported entry the way the gateway writes one, with `subjects` committed and opened. */
function exported(index: number, subjects = [`v1.audit.subj.T${index}`]): ExportedEntry {
  const { commitments, openings } = commitSubjects(subjects);
  const entry = aDecisionEntry(index, commitments);
  return { index, entry, openings, leafHash: auditLeafHash(entry).toString('base64') };
}

const chunk = (lines: string[]) => Buffer.from(lines.map((l) => l + '\n').join(''));
const hex = (nodes: ChunkNode[]) => nodes.map((n) => [n.level, Buffer.from(n.hash).toString('hex')]);
const frontierOf = (entries: AuditEntry[]) => {
  const frontier = MerkleFrontier.empty();
  entries.forEach((e) => frontier.append(auditLeafHash(e)));
  return hex(frontier.nodes());
};

describe(verifyEntryChunk.name, () => {
  const sut = verifyEntryChunk;

  it('returns the compact range of the leaves, and snapshots at the asked offsets, at any size', () => {
    const all = Array.from({ length: 300 }, (_, i) => exported(i));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (n, at) => {
        const offset = Math.min(at, n);
        const result = sut(chunk(all.slice(0, n).map((e) => formatEntryLine(e))), 0, [offset]);
        expect(result.problem).toBeUndefined();
        expect(result.count).toBe(n);
        expect(hex(result.nodes)).toEqual(frontierOf(all.slice(0, n).map((e) => e.entry)));
        expect(result.snapshots.map((s) => [s.offset, hex(s.nodes)])).toEqual([
          [offset, frontierOf(all.slice(0, offset).map((e) => e.entry))],
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same range for lines in another member order as for the writer’s layout', () => {
    const entries = Array.from({ length: 9 }, (_, i) => exported(i, ['v1.audit.subj.A', 'v1.audit.subj.B']));
    const reordered = entries.map(({ index, entry, openings, leafHash }) =>
      JSON.stringify({ entry: { ...entry }, openings, leafHash, index }, null, 1).replace(/\n/g, ' '),
    );
    const result = sut(chunk(reordered), 0, []);
    expect(result.problem).toBeUndefined();
    expect(hex(result.nodes)).toEqual(hex(sut(chunk(entries.map((e) => formatEntryLine(e))), 0, []).nodes));
  });

  it('checks every opening of an entry, in order, and names the one that does not match', () => {
    const entry = exported(0, ['v1.audit.subj.A', 'v1.audit.subj.B', 'v1.audit.subj.C']);
    const line = formatEntryLine(entry);
    expect(sut(chunk([line]), 0, []).problem).toBeUndefined();
    const altered = line.replace('"token":"v1.audit.subj.C"', '"token":"v1.audit.subj.D"');
    expect(sut(chunk([altered]), 0, []).problem).toMatchObject({
      index: 0,
      code: 'AUDIT.OPENING_MISMATCH',
      message: 'opening 2 of entry 0 does not match its commitment',
    });
  });

  it('reads an escaped token as JSON does', () => {
    const line = formatEntryLine(exported(0, ['v1.audit.subj.A']));
    const escaped = line.replace('"token":"v1', '"token":"\\u0076\\u0031');
    expect(escaped).not.toBe(line);
    expect(sut(chunk([escaped]), 0, []).problem).toBeUndefined();
  });

  it('reports an erased opening between two present ones as unopened', () => {
    const entry = exported(5, ['v1.audit.subj.A', 'v1.audit.subj.B', 'v1.audit.subj.C']);
    entry.openings![1] = null;
    const result = sut(chunk([formatEntryLine(entry)]), 5, []);
    expect(result.problem).toBeUndefined();
    expect(result.unopened).toEqual([{ index: 5, commitment: entry.entry.subjectCommitments![1] }]);
  });

  it('refuses more openings than commitments', () => {
    const entry = exported(0, ['v1.audit.subj.A']);
    entry.openings!.push({ token: 'v1.audit.subj.B', salt: '00'.repeat(16) });
    expect(sut(chunk([formatEntryLine(entry)]), 0, []).problem).toMatchObject({
      code: 'AUDIT.OPENING_UNEXPECTED',
    });
  });

  it('finds redaction entries, but not the event name inside another value', () => {
    const at = '2025-01-01T00:00:00.000Z';
    const decoy: AuditEntry = {
      event: 'signal.refused',
      at,
      correlationId: 'c',
      lifecycle: { event: 'audit.redaction' } as AuditEntry['lifecycle'],
    };
    const redaction = redactionEntry(
      { leafIndex: 0, commitments: ['ab'.repeat(32)], requestReference: 'AVG-1', actors: ['fg-1'] },
      { at, correlationId: 'r' },
    );
    const lines = [exported(0), { index: 1, entry: decoy }, { index: 2, entry: redaction }].map((e) =>
      formatEntryLine(e),
    );
    expect(sut(chunk(lines), 0, []).redactions).toEqual([
      { index: 2, leafIndex: 0, commitments: ['ab'.repeat(32)] },
    ]);
  });

  it('names a stored leaf hash that does not match at its index', () => {
    const lines = [exported(8), exported(9)].map((e) => formatEntryLine(e));
    lines[1] = lines[1].replace('"purpose":"registration"', '"purpose":"advice"');
    expect(sut(chunk(lines), 8, [])).toMatchObject({
      count: 1,
      problem: { index: 9, code: 'AUDIT.LEAF_HASH_MISMATCH' },
    });
  });
});
