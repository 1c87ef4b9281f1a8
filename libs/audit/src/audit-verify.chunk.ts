import canonicalize from 'canonicalize';
import { hash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.js';
import { MerkleFrontier } from './merkle-frontier.js';
import { checkOpening, type SubjectOpening } from './subject-commitment.js';

/** A perfect subtree of a chunk's own compact range (levels are absolute; the chunk start is aligned). */
export interface ChunkNode {
  level: number;
  hash: Uint8Array;
}

/** A problem found in the entries, at the first index where it shows. */
export interface EntryProblem {
  index: number;
  code: string;
  message: string;
}

/** What one chunk of entries.jsonl contributes to the verification. */
export interface ChunkResult {
  count: number;
  nodes: ChunkNode[];
  snapshots: { offset: number; nodes: ChunkNode[] }[];
  unopened: { index: number; commitment: string }[];
  redactions: { index: number; leafIndex: number; commitments: string[] }[];
  problem?: EntryProblem;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const INDEX_PREFIX = ascii('{"index":');
const LEAF_HASH_KEY = ascii(',"leafHash":"');
const OPENINGS_KEY = ascii(',"openings":[');
const OPENINGS_END = ascii('],"entry":');
const ENTRY_KEY = ascii(',"entry":');
const COMMITMENTS_KEY = ascii('"subjectCommitments":[');
const REDACTION_EVENT = ascii('"event":"audit.redaction"');
const NEWLINE = 0x0a;

interface ParsedLine {
  index: number;
  leafHash?: string;
  openings?: unknown;
  /** The leaf: a byte range of the chunk whose preceding byte may be overwritten with 0x00. */
  entryStart: number;
  entryEnd: number;
  /** Set instead of the range when the line was not in the writer's layout. */
  leafText?: string;
}

function startsWithAt(buf: Buffer, at: number, end: number, token: Buffer): boolean {
  if (at + token.length > end) return false;
  for (let i = 0; i < token.length; i++) if (buf[at + i] !== token[i]) return false;
  return true;
}

/** The writer's layout, read without a JSON parser; undefined when the line is laid out otherwise. */
function parseFast(buf: Buffer, start: number, end: number): ParsedLine | undefined {
  if (!startsWithAt(buf, start, end, INDEX_PREFIX) || buf[end - 1] !== 0x7d) return undefined;
  let p = start + INDEX_PREFIX.length;
  let index = 0;
  const digitsFrom = p;
  while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) index = index * 10 + (buf[p++] - 0x30);
  const digits = p - digitsFrom;
  if (digits === 0 || digits > 15 || (digits > 1 && buf[digitsFrom] === 0x30)) return undefined;
  let leafHash: string | undefined;
  if (startsWithAt(buf, p, end, LEAF_HASH_KEY)) {
    p += LEAF_HASH_KEY.length;
    if (p + 45 > end || buf[p + 44] !== 0x22) return undefined;
    leafHash = buf.toString('latin1', p, p + 44);
    p += 45;
  }
  let openings: unknown;
  if (startsWithAt(buf, p, end, OPENINGS_KEY)) {
    const close = buf.subarray(p, end).indexOf(OPENINGS_END);
    if (close < 0) return undefined;
    try {
      openings = JSON.parse(buf.toString('utf8', p + OPENINGS_KEY.length - 1, p + close + 1));
    } catch {
      return undefined;
    }
    p += close + 1;
  }
  if (!startsWithAt(buf, p, end, ENTRY_KEY)) return undefined;
  p += ENTRY_KEY.length;
  if (buf[p] !== 0x7b) return undefined;
  return { index, leafHash, openings, entryStart: p, entryEnd: end - 1 };
}

/** Any other layout of `{ index, entry, leafHash?, openings? }`: parse and re-canonicalise the entry. */
function parseSlow(buf: Buffer, start: number, end: number): ParsedLine | undefined {
  let value: { index?: unknown; entry?: unknown; leafHash?: unknown; openings?: unknown };
  try {
    value = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { index, entry, leafHash, openings } = value;
  if (!Number.isSafeInteger(index) || (index as number) < 0) return undefined;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  if (leafHash !== undefined && typeof leafHash !== 'string') return undefined;
  let leafText: string | undefined;
  try {
    leafText = canonicalize(entry);
  } catch {
    return undefined;
  }
  if (typeof leafText !== 'string') return undefined;
  return { index: index as number, leafHash, openings, entryStart: 0, entryEnd: 0, leafText };
}

function commitmentsOf(buf: Buffer, start: number, end: number, leafText?: string): string[] | undefined {
  if (leafText !== undefined) {
    const entry = JSON.parse(leafText) as AuditEntry;
    return Array.isArray(entry.subjectCommitments) ? entry.subjectCommitments.map(String) : undefined;
  }
  const entry = buf.subarray(start, end);
  const at = entry.indexOf(COMMITMENTS_KEY);
  if (at < 0) return undefined;
  const from = at + COMMITMENTS_KEY.length;
  const close = entry.indexOf(0x5d, from);
  if (close < 0) return undefined;
  const inner = entry.toString('latin1', from, close);
  return inner.length === 0 ? [] : inner.split(',').map((quoted) => quoted.slice(1, -1));
}

function redactionOf(
  buf: Buffer,
  start: number,
  end: number,
  leafText?: string,
): AuditEntry['redaction'] | null {
  const isRedaction =
    leafText !== undefined
      ? leafText.includes('"event":"audit.redaction"')
      : buf.subarray(start, end).indexOf(REDACTION_EVENT) >= 0;
  if (!isRedaction) return null;
  const entry = JSON.parse(leafText ?? buf.toString('utf8', start, end)) as AuditEntry;
  return entry.event === 'audit.redaction' ? entry.redaction : null;
}

const validRedaction = (
  r: AuditEntry['redaction'],
  index: number,
): r is NonNullable<AuditEntry['redaction']> =>
  !!r &&
  Number.isSafeInteger(r.leafIndex) &&
  r.leafIndex >= 0 &&
  r.leafIndex < index &&
  Array.isArray(r.commitments) &&
  r.commitments.length > 0 &&
  r.commitments.every((c) => typeof c === 'string');

const chunkNodes = (frontier: MerkleFrontier): ChunkNode[] =>
  frontier.nodes().map((n) => ({ level: n.level, hash: n.hash }));

/**
 * Verifies the lines of one chunk of entries.jsonl that starts at `firstIndex` (a multiple of the chunk
 * capacity): layout, contiguous indexes, stored leaf hashes, openings against commitments; and returns the
 * chunk's compact range (plus snapshots at the offsets where checkpoints sit) for the caller to merge.
 * Synchronous and self-contained so it runs the same in a worker thread. The buffer is modified in place.
 *
 * @example verifyEntryChunk(bytes, 0, [100]).snapshots[0].nodes
 */
export function verifyEntryChunk(
  buf: Buffer,
  firstIndex: number,
  snapshotOffsets: readonly number[],
): ChunkResult {
  const frontier = MerkleFrontier.empty();
  const result: ChunkResult = { count: 0, nodes: [], snapshots: [], unopened: [], redactions: [] };
  const offsets = [...snapshotOffsets].sort((a, b) => a - b);
  let nextSnapshot = 0;
  const snapshot = () => {
    while (nextSnapshot < offsets.length && offsets[nextSnapshot] === frontier.size) {
      result.snapshots.push({ offset: offsets[nextSnapshot++], nodes: chunkNodes(frontier) });
    }
  };
  const fail = (index: number, code: string, message: string): ChunkResult => {
    result.count = frontier.size;
    result.nodes = chunkNodes(frontier);
    result.problem = { index, code, message };
    return result;
  };
  snapshot();
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    const next = end + 1;
    const expected = firstIndex + frontier.size;
    let problem: EntryProblem | undefined;
    try {
      problem = verifyLine(buf, start, end, expected, frontier, result);
    } catch {
      problem = {
        index: expected,
        code: 'AUDIT.LINE_MALFORMED',
        message: `line for index ${expected} is not an exported entry`,
      };
    }
    if (problem) return fail(problem.index, problem.code, problem.message);
    snapshot();
    start = next;
  }
  result.count = frontier.size;
  result.nodes = chunkNodes(frontier);
  return result;
}

function verifyLine(
  buf: Buffer,
  start: number,
  end: number,
  expected: number,
  frontier: MerkleFrontier,
  result: ChunkResult,
): EntryProblem | undefined {
  const fail = (index: number, code: string, message: string): EntryProblem => ({ index, code, message });
  const line = parseFast(buf, start, end) ?? parseSlow(buf, start, end);
  if (!line)
    return fail(expected, 'AUDIT.LINE_MALFORMED', `line for index ${expected} is not an exported entry`);
  if (line.index < expected)
    return fail(
      line.index,
      'AUDIT.INDEX_DUPLICATE',
      `index ${line.index} appears again after ${expected - 1}`,
    );
  if (line.index > expected)
    return fail(expected, 'AUDIT.INDEX_GAP', `index ${expected} is missing (next line has ${line.index})`);
  let leaf: Buffer;
  if (line.leafText !== undefined) {
    leaf = hash('sha256', '\u0000' + line.leafText, 'buffer');
  } else {
    buf[line.entryStart - 1] = 0x00;
    leaf = hash('sha256', buf.subarray(line.entryStart - 1, line.entryEnd), 'buffer');
  }
  if (line.leafHash !== undefined && leaf.toString('base64') !== line.leafHash) {
    return fail(
      expected,
      'AUDIT.LEAF_HASH_MISMATCH',
      `entry ${expected} does not hash to its stored leaf hash`,
    );
  }
  const commitments = commitmentsOf(buf, line.entryStart, line.entryEnd, line.leafText) ?? [];
  const openings = line.openings ?? [];
  if (!Array.isArray(openings) || openings.length > commitments.length) {
    return fail(expected, 'AUDIT.OPENING_UNEXPECTED', `entry ${expected} has openings without commitments`);
  }
  for (let i = 0; i < commitments.length; i++) {
    const opening = openings[i] as SubjectOpening | null | undefined;
    if (opening === null || opening === undefined) {
      result.unopened.push({ index: expected, commitment: commitments[i] });
    } else if (!checkOpening(commitments[i], opening)) {
      return fail(
        expected,
        'AUDIT.OPENING_MISMATCH',
        `opening ${i} of entry ${expected} does not match its commitment`,
      );
    }
  }
  const redaction = redactionOf(buf, line.entryStart, line.entryEnd, line.leafText);
  if (redaction !== null) {
    if (!validRedaction(redaction, expected)) {
      return fail(
        expected,
        'AUDIT.REDACTION_INVALID',
        `redaction entry ${expected} must name an earlier leaf and commitments`,
      );
    }
    result.redactions.push({
      index: expected,
      leafIndex: redaction.leafIndex,
      commitments: redaction.commitments,
    });
  }
  frontier.append(leaf);
  return undefined;
}
