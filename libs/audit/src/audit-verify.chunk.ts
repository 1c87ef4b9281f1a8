import canonicalize from 'canonicalize';
import { hash } from 'node:crypto';
import type { AuditEntry } from './audit-entry.js';
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
const TOKEN_KEY = ascii('{"token":"');
const SALT_KEY = ascii('","salt":"');
const NULL = ascii('null');
const COMMITMENTS_KEY = ascii('"subjectCommitments":[');
const REDACTION_EVENT = ascii('"event":"audit.redaction"');
const BASE64 = ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const HASH_SIZE = 32;
const SALT_BYTES = 16;
const HEX_COMMITMENT = 64;

/** Lower-case hex digit value, or -1 (the only digits `subjectCommitment` writes). */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 16; c++) HEX_VALUE['0123456789abcdef'.charCodeAt(c)] = c;

/** Copies a 32-byte latin1 digest string into `to` (a plain loop beats a native call for 32 bytes). */
function writeDigest(to: Uint8Array, at: number, digest: string): void {
  for (let i = 0; i < HASH_SIZE; i++) to[at + i] = digest.charCodeAt(i);
}

/**
 * The compact range of a chunk kept in one buffer: slot i (32 bytes) at 32·(i+1), so a node hash reads the
 * two children in place and borrows the byte before them for the 0x01 prefix — no copy, no Buffer per hash.
 */
class ChunkFrontier {
  private readonly stack = Buffer.alloc(HASH_SIZE * 56);
  /** nodeInput[slot]: 0x01 ‖ children, the 65 bytes hashed when slot and slot + 1 merge. */
  private readonly nodeInput: Uint8Array[] = [];
  private top = 0;
  size = 0;

  constructor() {
    for (let slot = 0; slot < 54; slot++) {
      const at = this.stack.byteOffset + HASH_SIZE * (slot + 1) - 1;
      this.nodeInput.push(new Uint8Array(this.stack.buffer, at, 1 + 2 * HASH_SIZE));
    }
  }

  /** Appends a leaf hash given as the 32-char latin1 digest string `hash(…, 'binary')` returns. */
  append(leafDigest: string): void {
    const stack = this.stack;
    let slot = this.top;
    writeDigest(stack, HASH_SIZE * (slot + 1), leafDigest);
    for (let s = this.size; s % 2 === 1; s = (s - 1) / 2) {
      slot -= 1;
      const at = HASH_SIZE * (slot + 1);
      const borrowed = stack[at - 1];
      stack[at - 1] = 0x01;
      const node = hash('sha256', this.nodeInput[slot], 'binary');
      stack[at - 1] = borrowed;
      writeDigest(stack, at, node);
    }
    this.top = slot + 1;
    this.size += 1;
  }

  /** The perfect subtrees, largest first, as copies. */
  nodes(): ChunkNode[] {
    const out: ChunkNode[] = [];
    let slot = 0;
    for (let level = 53; level >= 0; level--) {
      if (Math.floor(this.size / 2 ** level) % 2 === 1) {
        const at = HASH_SIZE * (slot + 1);
        out.push({ level, hash: new Uint8Array(this.stack.subarray(at, at + HASH_SIZE)) });
        slot += 1;
      }
    }
    return out;
  }
}

function startsWithAt(buf: Buffer, at: number, end: number, token: Buffer): boolean {
  if (at + token.length > end) return false;
  for (let i = 0; i < token.length; i++) if (buf[at + i] !== token[i]) return false;
  return true;
}

/** Does the base64 text at buf[at, at+44) spell the 32-byte latin1 digest (what `toString('base64')` gives)? */
function base64Matches(digest: string, buf: Buffer, at: number): boolean {
  let p = at;
  for (let i = 0; i < 30; i += 3, p += 4) {
    const n = (digest.charCodeAt(i) << 16) | (digest.charCodeAt(i + 1) << 8) | digest.charCodeAt(i + 2);
    if (
      buf[p] !== BASE64[n >>> 18] ||
      buf[p + 1] !== BASE64[(n >>> 12) & 63] ||
      buf[p + 2] !== BASE64[(n >>> 6) & 63] ||
      buf[p + 3] !== BASE64[n & 63]
    )
      return false;
  }
  const n = (digest.charCodeAt(30) << 16) | (digest.charCodeAt(31) << 8);
  return (
    buf[p] === BASE64[n >>> 18] &&
    buf[p + 1] === BASE64[(n >>> 12) & 63] &&
    buf[p + 2] === BASE64[(n >>> 6) & 63] &&
    buf[p + 3] === 0x3d
  );
}

/** Offsets into the chunk found on a line, reused from line to line. */
interface Spans {
  at: number[];
  count: number;
}

/** A JSON string body needing no decoding: printable ASCII without quote or backslash. */
function plainStringEnd(buf: Buffer, at: number, end: number): number {
  for (let p = at; p < end; p++) {
    const c = buf[p];
    if (c === QUOTE) return p;
    if (c < 0x20 || c > 0x7e || c === 0x5c) return -1;
  }
  return -1;
}

/**
 * The writer's openings array at buf[at] = '[': elements `null` or `{"token":"…","salt":"<32 hex>"}` with
 * plain strings, stored in `spans` as [tokenStart, tokenEnd, saltStart] (tokenStart -1 for null). Returns
 * the index after the closing ']', or -1 for any other layout (then JSON.parse decides).
 */
function parseOpenings(buf: Buffer, at: number, end: number, spans: Spans): number {
  let p = at + 1;
  spans.count = 0;
  if (buf[p] === 0x5d) return p + 1;
  for (;;) {
    if (startsWithAt(buf, p, end, NULL)) {
      spans.at[3 * spans.count] = -1;
      p += NULL.length;
    } else {
      if (!startsWithAt(buf, p, end, TOKEN_KEY)) return -1;
      const tokenStart = p + TOKEN_KEY.length;
      const tokenEnd = plainStringEnd(buf, tokenStart, end);
      if (tokenEnd < 0 || !startsWithAt(buf, tokenEnd, end, SALT_KEY)) return -1;
      const saltStart = tokenEnd + SALT_KEY.length;
      p = saltStart + 2 * SALT_BYTES;
      if (p + 2 > end || buf[p] !== QUOTE || buf[p + 1] !== 0x7d) return -1;
      for (let i = saltStart; i < p; i++) if (HEX_VALUE[buf[i]] < 0) return -1;
      spans.at[3 * spans.count] = tokenStart;
      spans.at[3 * spans.count + 1] = tokenEnd;
      spans.at[3 * spans.count + 2] = saltStart;
      p += 2;
    }
    spans.count += 1;
    if (buf[p] === 0x5d) return p + 1;
    if (buf[p] !== 0x2c) return -1;
    p += 1;
  }
}

/**
 * Where the member `"subjectCommitments":[` starts when the entry ends with it, as the writer's canonical
 * form (sorted keys) puts it: read from the tail without a search; -1 otherwise.
 */
function commitmentsKeyAtTail(buf: Buffer, start: number, end: number): number {
  let p = end - 2;
  if (buf[end - 1] !== 0x7d || buf[p] !== 0x5d) return -1;
  if (buf[p - 1] !== 0x5b) {
    for (;;) {
      p -= HEX_COMMITMENT + 2;
      if (p <= start || buf[p] !== QUOTE || buf[p + HEX_COMMITMENT + 1] !== QUOTE) return -1;
      p -= 1;
      if (buf[p] === 0x5b) break;
      if (buf[p] !== 0x2c) return -1;
    }
  } else {
    p -= 1;
  }
  const keyAt = p + 1 - COMMITMENTS_KEY.length;
  return keyAt > start && startsWithAt(buf, keyAt, end, COMMITMENTS_KEY) ? keyAt : -1;
}

/**
 * Where the 64 hex digits of each of the entry's subject commitments start, when they are laid out plainly
 * (`"subjectCommitments":["<64 hex>",…]`), in `spans`; false for any other layout. No member: none. Like
 * the fast path as a whole, this trusts the entry schema: the member is the last one of that name.
 */
function commitmentSpans(buf: Buffer, start: number, end: number, spans: Spans): boolean {
  let keyAt = commitmentsKeyAtTail(buf, start, end);
  if (keyAt < 0) {
    const found = buf.subarray(start, end).lastIndexOf(COMMITMENTS_KEY);
    if (found < 0) return true;
    keyAt = start + found;
  }
  let p = keyAt + COMMITMENTS_KEY.length;
  if (buf[p] === 0x5d) return true;
  for (;;) {
    if (p + HEX_COMMITMENT + 2 > end || buf[p] !== QUOTE || buf[p + HEX_COMMITMENT + 1] !== QUOTE)
      return false;
    for (let i = p + 1; i <= p + HEX_COMMITMENT; i++) if (HEX_VALUE[buf[i]] < 0) return false;
    spans.at[spans.count++] = p + 1;
    p += HEX_COMMITMENT + 2;
    if (buf[p] === 0x5d) return true;
    if (buf[p] !== 0x2c) return false;
    p += 1;
  }
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

/** A line read on the slow path: parsed JSON, the entry re-canonicalised. */
interface ParsedLine {
  index: number;
  leafHash?: string;
  openings?: unknown;
  leafText: string;
}

/** Any layout of `{ index, entry, leafHash?, openings? }`: parse and re-canonicalise the entry. */
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
  return { index: index as number, leafHash, openings, leafText };
}

const fail = (index: number, code: string, message: string): EntryProblem => ({ index, code, message });

/** Verifies the lines of one chunk in order; state shared by the lines of the chunk. */
class ChunkVerifier {
  readonly frontier = new ChunkFrontier();
  /** [tokenStart, tokenEnd, saltStart] per opening of the current line. */
  private readonly openings: Spans = { at: [], count: 0 };
  /** Start of the 64 hex digits per commitment of the current line. */
  private readonly commitments: Spans = { at: [], count: 0 };
  private readonly redactionAt: number[] = [];
  private nextRedaction = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly firstIndex: number,
    private readonly result: ChunkResult,
  ) {
    // One search over the whole chunk instead of one per line: redaction entries are rare.
    for (let at = buf.indexOf(REDACTION_EVENT); at >= 0; at = buf.indexOf(REDACTION_EVENT, at + 1)) {
      this.redactionAt.push(at);
    }
  }

  /** Does buf[start, end) hold the redaction event text (a candidate for a JSON check)? */
  private mentionsRedaction(start: number, end: number): boolean {
    const at = this.redactionAt;
    while (this.nextRedaction < at.length && at[this.nextRedaction] < start) this.nextRedaction += 1;
    return this.nextRedaction < at.length && at[this.nextRedaction] + REDACTION_EVENT.length <= end;
  }

  line(start: number, end: number): EntryProblem | undefined {
    const expected = this.firstIndex + this.frontier.size;
    const buf = this.buf;
    if (!startsWithAt(buf, start, end, INDEX_PREFIX) || buf[end - 1] !== 0x7d)
      return this.slowLine(start, end);
    let p = start + INDEX_PREFIX.length;
    let index = 0;
    const digitsFrom = p;
    while (p < end && buf[p] >= 0x30 && buf[p] <= 0x39) index = index * 10 + (buf[p++] - 0x30);
    const digits = p - digitsFrom;
    if (digits === 0 || digits > 15 || (digits > 1 && buf[digitsFrom] === 0x30))
      return this.slowLine(start, end);
    let leafHashAt = -1;
    if (startsWithAt(buf, p, end, LEAF_HASH_KEY)) {
      p += LEAF_HASH_KEY.length;
      if (p + 45 > end || buf[p + 44] !== QUOTE) return this.slowLine(start, end);
      leafHashAt = p;
      p += 45;
    }
    this.openings.count = 0;
    let openings: unknown;
    let fastOpenings = true;
    if (startsWithAt(buf, p, end, OPENINGS_KEY)) {
      const listAt = p + OPENINGS_KEY.length - 1;
      const after = parseOpenings(buf, listAt, end, this.openings);
      if (after >= 0) {
        p = after - 1;
      } else {
        fastOpenings = false;
        const close = buf.subarray(p, end).indexOf(OPENINGS_END);
        if (close < 0) return this.slowLine(start, end);
        try {
          openings = JSON.parse(buf.toString('utf8', listAt, p + close + 1));
        } catch {
          return this.slowLine(start, end);
        }
        p += close;
      }
      p += 1;
    }
    if (!startsWithAt(buf, p, end, ENTRY_KEY)) return this.slowLine(start, end);
    const entryStart = p + ENTRY_KEY.length;
    const entryEnd = end - 1;
    if (buf[entryStart] !== 0x7b) return this.slowLine(start, end);

    const order = this.checkIndex(index, expected);
    if (order) return order;
    // The leaf is SHA-256(0x00 ‖ entry bytes): the byte before the entry (the ':') becomes the 0x00.
    buf[entryStart - 1] = 0x00;
    const leaf = hash(
      'sha256',
      new Uint8Array(buf.buffer, buf.byteOffset + entryStart - 1, entryEnd - entryStart + 1),
      'binary',
    );
    if (leafHashAt >= 0 && !base64Matches(leaf, buf, leafHashAt)) return this.leafMismatch(expected);

    this.commitments.count = 0;
    if (fastOpenings && commitmentSpans(buf, entryStart, entryEnd, this.commitments)) {
      const problem = this.checkOpeningsFast(expected);
      if (problem) return problem;
    } else {
      // Either the openings or the commitments are laid out otherwise: the general check, as parsed.
      const commitments = fastOpenings
        ? this.commitmentsOf(JSON.parse(buf.toString('utf8', entryStart, entryEnd)) as AuditEntry)
        : this.commitmentsFromSpansOrEntry(entryStart, entryEnd);
      const problem = this.checkOpenings(
        expected,
        commitments,
        fastOpenings ? this.openingsFromSpans() : (openings ?? []),
      );
      if (problem) return problem;
    }
    if (this.mentionsRedaction(entryStart, entryEnd)) {
      const problem = this.redaction(expected, JSON.parse(buf.toString('utf8', entryStart, entryEnd)));
      if (problem) return problem;
    }
    this.frontier.append(leaf);
    return undefined;
  }

  private commitmentsFromSpansOrEntry(entryStart: number, entryEnd: number): string[] {
    const spans = this.commitments;
    spans.count = 0;
    if (commitmentSpans(this.buf, entryStart, entryEnd, spans)) {
      return spans.at.slice(0, spans.count).map((s) => this.buf.toString('latin1', s, s + HEX_COMMITMENT));
    }
    return this.commitmentsOf(JSON.parse(this.buf.toString('utf8', entryStart, entryEnd)) as AuditEntry);
  }

  private commitmentsOf(entry: AuditEntry): string[] {
    return Array.isArray(entry?.subjectCommitments) ? entry.subjectCommitments.map(String) : [];
  }

  private openingsFromSpans(): (SubjectOpening | null)[] {
    const { at, count } = this.openings;
    const out: (SubjectOpening | null)[] = [];
    for (let i = 0; i < 3 * count; i += 3) {
      out.push(
        at[i] < 0
          ? null
          : {
              token: this.buf.toString('latin1', at[i], at[i + 1]),
              salt: this.buf.toString('latin1', at[i + 2], at[i + 2] + 2 * SALT_BYTES),
            },
      );
    }
    return out;
  }

  private checkIndex(index: number, expected: number): EntryProblem | undefined {
    if (index < expected)
      return fail(index, 'AUDIT.INDEX_DUPLICATE', `index ${index} appears again after ${expected - 1}`);
    if (index > expected)
      return fail(expected, 'AUDIT.INDEX_GAP', `index ${expected} is missing (next line has ${index})`);
    return undefined;
  }

  private leafMismatch(expected: number): EntryProblem {
    return fail(
      expected,
      'AUDIT.LEAF_HASH_MISMATCH',
      `entry ${expected} does not hash to its stored leaf hash`,
    );
  }

  /** Each plain opening against its plain commitment: SHA-256(salt ‖ token) in hex, compared in place. */
  private checkOpeningsFast(expected: number): EntryProblem | undefined {
    const { buf, openings, commitments } = this;
    const spans = openings.at;
    if (openings.count > commitments.count) return this.unexpectedOpenings(expected);
    for (let i = 0; i < commitments.count; i++) {
      const commitment = commitments.at[i];
      const tokenStart = i < openings.count ? spans[i * 3] : -1;
      if (tokenStart < 0) {
        this.result.unopened.push({
          index: expected,
          commitment: buf.toString('latin1', commitment, commitment + HEX_COMMITMENT),
        });
        continue;
      }
      const tokenEnd = spans[i * 3 + 1];
      const saltStart = spans[i * 3 + 2];
      // The salt bytes go right before the token, over text already read (this opening's `{"token":"` and
      // the tail of the previous one), so the commitment input is hashed in place.
      const from = tokenStart - SALT_BYTES;
      for (let b = 0; b < SALT_BYTES; b++) {
        buf[from + b] = (HEX_VALUE[buf[saltStart + 2 * b]] << 4) | HEX_VALUE[buf[saltStart + 2 * b + 1]];
      }
      const digest = hash(
        'sha256',
        new Uint8Array(buf.buffer, buf.byteOffset + from, tokenEnd - from),
        'hex',
      );
      for (let c = 0; c < HEX_COMMITMENT; c++) {
        if (digest.charCodeAt(c) !== buf[commitment + c]) return this.openingMismatch(expected, i);
      }
    }
    return undefined;
  }

  private checkOpenings(
    expected: number,
    commitments: string[],
    openings: unknown,
  ): EntryProblem | undefined {
    if (!Array.isArray(openings) || openings.length > commitments.length)
      return this.unexpectedOpenings(expected);
    for (let i = 0; i < commitments.length; i++) {
      const opening = openings[i] as SubjectOpening | null | undefined;
      if (opening === null || opening === undefined) {
        this.result.unopened.push({ index: expected, commitment: commitments[i] });
      } else if (!checkOpening(commitments[i], opening)) {
        return this.openingMismatch(expected, i);
      }
    }
    return undefined;
  }

  private unexpectedOpenings(expected: number): EntryProblem {
    return fail(expected, 'AUDIT.OPENING_UNEXPECTED', `entry ${expected} has openings without commitments`);
  }

  private openingMismatch(expected: number, i: number): EntryProblem {
    return fail(
      expected,
      'AUDIT.OPENING_MISMATCH',
      `opening ${i} of entry ${expected} does not match its commitment`,
    );
  }

  private redaction(expected: number, entry: AuditEntry): EntryProblem | undefined {
    if (entry?.event !== 'audit.redaction') return undefined;
    const redaction = entry.redaction;
    if (!validRedaction(redaction, expected)) {
      return fail(
        expected,
        'AUDIT.REDACTION_INVALID',
        `redaction entry ${expected} must name an earlier leaf and commitments`,
      );
    }
    this.result.redactions.push({
      index: expected,
      leafIndex: redaction.leafIndex,
      commitments: redaction.commitments,
    });
    return undefined;
  }

  /** A line in another layout: parsed as JSON, the entry re-canonicalised before hashing. */
  private slowLine(start: number, end: number): EntryProblem | undefined {
    const expected = this.firstIndex + this.frontier.size;
    const line = parseSlow(this.buf, start, end);
    if (!line)
      return fail(expected, 'AUDIT.LINE_MALFORMED', `line for index ${expected} is not an exported entry`);
    const order = this.checkIndex(line.index, expected);
    if (order) return order;
    const leaf = hash('sha256', '\u0000' + line.leafText, 'binary');
    if (line.leafHash !== undefined && Buffer.from(leaf, 'latin1').toString('base64') !== line.leafHash) {
      return this.leafMismatch(expected);
    }
    const entry = JSON.parse(line.leafText) as AuditEntry;
    const problem =
      this.checkOpenings(expected, this.commitmentsOf(entry), line.openings ?? []) ??
      (line.leafText.includes('"event":"audit.redaction"') ? this.redaction(expected, entry) : undefined);
    if (problem) return problem;
    this.frontier.append(leaf);
    return undefined;
  }
}

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
  const result: ChunkResult = { count: 0, nodes: [], snapshots: [], unopened: [], redactions: [] };
  const sut = new ChunkVerifier(buf, firstIndex, result);
  const frontier = sut.frontier;
  const offsets = [...snapshotOffsets].sort((a, b) => a - b);
  let nextSnapshot = 0;
  const snapshot = () => {
    while (nextSnapshot < offsets.length && offsets[nextSnapshot] === frontier.size) {
      result.snapshots.push({ offset: offsets[nextSnapshot++], nodes: frontier.nodes() });
    }
  };
  snapshot();
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    let problem: EntryProblem | undefined;
    try {
      problem = sut.line(start, end);
    } catch {
      const expected = firstIndex + frontier.size;
      problem = fail(expected, 'AUDIT.LINE_MALFORMED', `line for index ${expected} is not an exported entry`);
    }
    if (problem) {
      result.problem = problem;
      break;
    }
    snapshot();
    start = end + 1;
  }
  result.count = frontier.size;
  result.nodes = frontier.nodes();
  return result;
}
