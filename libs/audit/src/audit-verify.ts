import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JSONWebKeySet } from 'jose';
import { AuditError } from './audit.error.js';
import { AUDIT_EXPORT_FILES, type AuditKeys, type ExportedCheckpoint } from './audit-export.format.js';
import { verifyEntryChunk, type ChunkResult } from './audit-verify.chunk.js';
import { verifyCheckpoint, verifyCosignature, type Checkpoint } from './checkpoint.js';
import { MerkleFrontier } from './merkle-frontier.js';

/** Progress of a running verification (bytes of entries.jsonl, for a progress bar with ETA). */
export interface AuditVerifyProgress {
  entries: number;
  bytesRead: number;
  totalBytes: number;
}

export interface AuditVerifyOptions {
  /** The officer's last trusted checkpoint: the log must still have that root at that size. */
  trustedCheckpoint?: ExportedCheckpoint;
  /** Keys the officer trusts; when absent, keys.json of the export is used. */
  keys?: AuditKeys;
  /** Expected origin of every checkpoint. */
  origin?: string;
  /** Valid witness cosignatures every checkpoint needs (default 1). */
  minCosignatures?: number;
  onProgress?: (progress: AuditVerifyProgress) => void;
  /** Worker threads (default: the CPU count, at most 4; 0 = verify in this thread). */
  workers?: number;
}

export interface AuditVerifyReport {
  ok: boolean;
  /** Entries read in order (up to the problem, when there is one). */
  size: number;
  /** Size of the newest checkpoint whose signatures and root were verified. */
  checkpointSize: number;
  /** Checkpoints verified. */
  checkpoints: number;
  /** Leaf indexes with an opening erased under a redaction entry. */
  redacted: number[];
  /** The first entry index that is not proven intact. */
  firstBadIndex?: number;
  /** 0-based line of checkpoints.jsonl, for problems with a checkpoint. */
  badCheckpoint?: number;
  problem?: { code: string; message: string };
}

/** Entries per chunk: a power of two, so every chunk starts on a perfect-subtree boundary. */
const CHUNK_LINES = 4096;
const DEFAULT_WORKERS = Math.min(4, availableParallelism());
const CHECKPOINTS_AHEAD = 16;

interface Problem {
  firstBadIndex: number;
  code: string;
  message: string;
  badCheckpoint?: number;
}

interface CheckpointItem {
  line: number;
  checkpoint?: Checkpoint;
  problem?: { code: string; message: string };
}

interface Target {
  size: number;
  root: Buffer;
  line?: number;
}

function readKeys(dir: string, given?: AuditKeys): AuditKeys {
  const keys = given ?? (JSON.parse(readFileSync(join(dir, AUDIT_EXPORT_FILES.keys), 'utf8')) as AuditKeys);
  const isSet = (set: JSONWebKeySet | undefined) => !!set && Array.isArray(set.keys);
  if (!isSet(keys?.signers) || !isSet(keys?.witnesses)) {
    throw new AuditError('AUDIT.KEYS_INVALID', 'keys.json needs { signers: JWKS, witnesses: JWKS }');
  }
  return keys;
}

async function verifySigned(
  line: ExportedCheckpoint,
  keys: AuditKeys,
  minCosignatures: number,
): Promise<Checkpoint> {
  if (!line || typeof line.checkpoint !== 'string' || !Array.isArray(line.cosignatures)) {
    throw new AuditError(
      'AUDIT.CHECKPOINT_MALFORMED',
      'a checkpoint line needs { checkpoint, cosignatures }',
    );
  }
  let checkpoint: Checkpoint;
  try {
    ({ checkpoint } = await verifyCheckpoint(line.checkpoint, keys.signers));
  } catch (error) {
    if (error instanceof AuditError && error.code === 'AUDIT.SIGNATURE_INVALID') {
      throw new AuditError(
        'AUDIT.CHECKPOINT_SIGNATURE',
        'checkpoint signature does not verify against the signer keys',
      );
    }
    throw error;
  }
  const witnesses = new Set<string>();
  for (const cosignature of line.cosignatures) {
    try {
      witnesses.add((await verifyCosignature(String(cosignature), checkpoint, keys.witnesses)).kid);
    } catch {
      throw new AuditError(
        'AUDIT.COSIGNATURE_INVALID',
        `a cosignature of checkpoint size ${checkpoint.size} does not verify`,
      );
    }
  }
  if (witnesses.size < minCosignatures) {
    throw new AuditError(
      'AUDIT.COSIGNATURE_MISSING',
      `checkpoint size ${checkpoint.size} has ${witnesses.size} witness cosignature(s), needs ${minCosignatures}`,
    );
  }
  return checkpoint;
}

/** Reads and verifies checkpoints.jsonl one line at a time: signatures, cosignatures, origin, no regress. */
async function* checkpointItems(
  dir: string,
  keys: AuditKeys,
  minCosignatures: number,
  origin: string | undefined,
): AsyncGenerator<CheckpointItem> {
  const path = join(dir, AUDIT_EXPORT_FILES.checkpoints);
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let line = -1;
  let previous: Checkpoint | undefined;
  let expectedOrigin = origin;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      const checkpoint = await verifySigned(JSON.parse(text) as ExportedCheckpoint, keys, minCosignatures);
      expectedOrigin ??= checkpoint.origin;
      if (checkpoint.origin !== expectedOrigin) {
        throw new AuditError('AUDIT.ORIGIN_MISMATCH', `checkpoint on line ${line} is for another log`);
      }
      if (
        previous &&
        (checkpoint.size < previous.size || Date.parse(checkpoint.time) < Date.parse(previous.time))
      ) {
        throw new AuditError(
          'AUDIT.CHECKPOINT_REGRESS',
          `checkpoint on line ${line} (size ${checkpoint.size}) is older than the one before (size ${previous.size})`,
        );
      }
      previous = checkpoint;
      yield { line, checkpoint };
    } catch (error) {
      const code = error instanceof AuditError ? error.code : 'AUDIT.CHECKPOINT_MALFORMED';
      const message = error instanceof AuditError ? error.message : `checkpoint on line ${line} is not JSON`;
      yield { line, problem: { code, message } };
      return;
    }
  }
}

/** Buffers a chunk is read into; handed back once verified, so the next chunks reuse them. */
class ChunkBuffers {
  private readonly free: ArrayBuffer[] = [];

  take(size: number): ArrayBuffer {
    const i = this.free.findIndex((b) => b.byteLength >= size);
    // A quarter to spare, so a chunk of slightly longer lines still fits a buffer handed back.
    return i >= 0 ? this.free.splice(i, 1)[0] : new ArrayBuffer(Math.max(Math.ceil(size * 1.25), 1 << 20));
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength > 0 && this.free.length < 8) this.free.push(buffer);
  }
}

/**
 * Splits entries.jsonl into chunks of CHUNK_LINES lines, each read straight into its own transferable
 * buffer: reads are sized from the line length seen so far, so only a short tail is copied per chunk.
 */
async function* entryChunks(
  path: string,
  buffers: ChunkBuffers,
): AsyncGenerator<{ bytes: Uint8Array; lines: number }> {
  const file = await open(path, 'r');
  try {
    let position = 0;
    let bytesPerLine = 1024;
    let want = CHUNK_LINES * bytesPerLine;
    let buf = Buffer.from(buffers.take(want));
    let filled = 0;
    let scanned = 0;
    let lines = 0;
    let eof = false;
    for (;;) {
      while (lines < CHUNK_LINES) {
        const nl = buf.indexOf(0x0a, scanned);
        if (nl < 0 || nl >= filled) break;
        lines += 1;
        scanned = nl + 1;
      }
      if (lines === CHUNK_LINES || (eof && filled > 0)) {
        const cut = lines === CHUNK_LINES ? scanned : filled;
        const tail = filled - cut;
        const unterminated = lines < CHUNK_LINES && cut > scanned;
        bytesPerLine = Math.max(1, Math.ceil(cut / Math.max(1, lines)));
        want = CHUNK_LINES * bytesPerLine + (CHUNK_LINES * bytesPerLine) / 16;
        const next = Buffer.from(buffers.take(Math.max(want, tail)));
        buf.copy(next, 0, cut, filled);
        yield {
          bytes: new Uint8Array(buf.buffer, buf.byteOffset, cut),
          lines: lines + (unterminated ? 1 : 0),
        };
        buf = next;
        filled = tail;
        scanned = 0;
        lines = 0;
        continue;
      }
      if (eof) {
        buffers.give(buf.buffer);
        return;
      }
      if (filled === buf.length) {
        const bigger = Buffer.from(buffers.take(2 * buf.length));
        buf.copy(bigger, 0, 0, filled);
        buffers.give(buf.buffer);
        buf = bigger;
      }
      const length = Math.min(buf.length - filled, Math.max(1 << 16, (CHUNK_LINES - lines) * bytesPerLine));
      const { bytesRead } = await file.read(buf, filled, length, position);
      if (bytesRead === 0) eof = true;
      filled += bytesRead;
      position += bytesRead;
    }
  } finally {
    await file.close();
  }
}

/** Runs chunks on worker threads (compiled build) or in this thread (0 workers, or running from source). */
class ChunkRunner {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(
    count: number,
    private readonly buffers: ChunkBuffers,
  ) {
    const url = new URL('./audit-verify.worker.js', import.meta.url);
    if (count <= 0 || url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(url);
      worker.on(
        'message',
        ({ id, result, bytes }: { id: number; result: ChunkResult; bytes: Uint8Array }) => {
          this.buffers.give(bytes.buffer as ArrayBuffer);
          this.waiting.get(id)?.resolve(result);
          this.waiting.delete(id);
        },
      );
      worker.on('error', (error) => {
        for (const { reject } of this.waiting.values()) reject(error);
        this.waiting.clear();
      });
      this.workers.push(worker);
    }
  }

  get parallel(): number {
    return Math.max(1, this.workers.length);
  }

  run(bytes: Uint8Array, firstIndex: number, snapshotOffsets: number[]): Promise<ChunkResult> {
    if (this.workers.length === 0) {
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const result = verifyEntryChunk(buf, firstIndex, snapshotOffsets);
      this.buffers.give(bytes.buffer as ArrayBuffer);
      return Promise.resolve(result);
    }
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length];
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, bytes, firstIndex, snapshotOffsets }, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

interface Dispatched {
  firstIndex: number;
  bytes: number;
  targets: Target[];
  badCheckpoint?: CheckpointItem;
  result: Promise<ChunkResult>;
}

/**
 * Verifies an export directory offline, streaming: recomputes every leaf hash and the tree, checks
 * contiguous indexes, every checkpoint signature and witness cosignature, each checkpoint's root at its
 * size, the trusted checkpoint's root, and every opening against its commitment (a missing opening only
 * where a later redaction entry names it). Names the first index that is not proven intact.
 *
 * @example const report = await verifyAuditExport('/tmp/export', { trustedCheckpoint }); report.ok
 */
export async function verifyAuditExport(
  dir: string,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyReport> {
  const report: AuditVerifyReport = { ok: false, size: 0, checkpointSize: 0, checkpoints: 0, redacted: [] };
  const finish = (problem?: Problem): AuditVerifyReport => {
    if (!problem) return { ...report, ok: true };
    return {
      ...report,
      ok: false,
      firstBadIndex: problem.firstBadIndex,
      ...(problem.badCheckpoint !== undefined ? { badCheckpoint: problem.badCheckpoint } : {}),
      problem: { code: problem.code, message: problem.message },
    };
  };
  const entriesPath = join(dir, AUDIT_EXPORT_FILES.entries);
  if (!existsSync(entriesPath)) {
    return finish({
      firstBadIndex: 0,
      code: 'AUDIT.EXPORT_UNREADABLE',
      message: `${AUDIT_EXPORT_FILES.entries} is missing`,
    });
  }
  let keys: AuditKeys;
  try {
    keys = readKeys(dir, options.keys);
  } catch (error) {
    const code = error instanceof AuditError ? error.code : 'AUDIT.KEYS_INVALID';
    return finish({ firstBadIndex: 0, code, message: 'keys.json is missing or malformed' });
  }
  const minCosignatures = options.minCosignatures ?? 1;
  let trusted: Target | undefined;
  let origin = options.origin;
  if (options.trustedCheckpoint) {
    try {
      const cp = await verifySigned(options.trustedCheckpoint, keys, 0);
      origin ??= cp.origin;
      if (cp.origin !== origin)
        throw new AuditError('AUDIT.ORIGIN_MISMATCH', 'the trusted checkpoint is for another log');
      trusted = { size: cp.size, root: Buffer.from(cp.rootHash, 'base64') };
    } catch (error) {
      const code = error instanceof AuditError ? error.code : 'AUDIT.CHECKPOINT_MALFORMED';
      return finish({
        firstBadIndex: 0,
        code: `${code}`,
        message: `trusted checkpoint: ${(error as Error).message}`,
      });
    }
  }

  const totalBytes = statSync(entriesPath).size;
  const checkpoints = checkpointItems(dir, keys, minCosignatures, origin)[Symbol.asyncIterator]();
  let peeked: CheckpointItem | undefined;
  let checkpointsDone = false;
  // Checkpoint signatures are checked a bounded window ahead (the generator runs its queued calls in
  // order), so they overlap with the hashing instead of holding up the next chunk.
  const ahead: Promise<IteratorResult<CheckpointItem>>[] = [];
  const peek = async (): Promise<CheckpointItem | undefined> => {
    if (!peeked && !checkpointsDone) {
      while (ahead.length < CHECKPOINTS_AHEAD) {
        const next = checkpoints.next();
        next.catch(() => undefined);
        ahead.push(next);
      }
      const next = await ahead.shift()!;
      if (next.done) checkpointsDone = true;
      else peeked = next.value;
    }
    return peeked;
  };

  const frontier = MerkleFrontier.empty();
  const pending = new Map<string, number>();
  const redacted = new Set<number>();
  let bytesRead = 0;
  let stopDispatch = false;
  const buffers = new ChunkBuffers();
  const runner = new ChunkRunner(options.workers ?? DEFAULT_WORKERS, buffers);
  const inFlight: Dispatched[] = [];

  const rootAt = (nodes: ChunkResult['nodes']): Buffer => {
    const f = frontier.clone();
    for (const node of nodes) f.appendSubtree(node.level, node.hash);
    return f.root();
  };

  const merge = (d: Dispatched, result: ChunkResult): Problem | undefined => {
    const problems: Problem[] = [];
    for (const target of d.targets) {
      const offset = target.size - d.firstIndex;
      const snap = result.snapshots.find((s) => s.offset === offset);
      if (!snap) break;
      if (!rootAt(snap.nodes).equals(target.root)) {
        problems.push(
          target.line === undefined
            ? {
                firstBadIndex: report.checkpointSize,
                code: 'AUDIT.TRUSTED_CHECKPOINT_MISMATCH',
                message: `the log does not have the trusted root at size ${target.size}`,
              }
            : {
                firstBadIndex: report.checkpointSize,
                badCheckpoint: target.line,
                code: 'AUDIT.ROOT_MISMATCH',
                message: `the entries do not hash to the root of the checkpoint of size ${target.size}`,
              },
        );
        break;
      }
      if (target.line !== undefined) {
        report.checkpointSize = target.size;
        report.checkpoints += 1;
      }
    }
    if (problems.length === 0 && result.problem) {
      problems.push({
        firstBadIndex: result.problem.index,
        code: result.problem.code,
        message: result.problem.message,
      });
    }
    if (problems.length === 0 && d.badCheckpoint) {
      problems.push({
        firstBadIndex: report.checkpointSize,
        badCheckpoint: d.badCheckpoint.line,
        code: d.badCheckpoint.problem!.code,
        message: d.badCheckpoint.problem!.message,
      });
    }
    for (const node of result.nodes) frontier.appendSubtree(node.level, node.hash);
    report.size = frontier.size;
    for (const { index, commitment } of result.unopened) pending.set(commitment, index);
    for (const r of result.redactions) {
      for (const c of r.commitments) {
        if (pending.get(c) === r.leafIndex) {
          pending.delete(c);
          redacted.add(r.leafIndex);
        }
      }
    }
    bytesRead += d.bytes;
    options.onProgress?.({ entries: frontier.size, bytesRead, totalBytes });
    return problems.sort((a, b) => a.firstBadIndex - b.firstBadIndex)[0];
  };

  const settle = async (): Promise<Problem | undefined> => {
    const d = inFlight.shift()!;
    return merge(d, await d.result);
  };

  try {
    let firstIndex = 0;
    for await (const chunk of entryChunks(entriesPath, buffers)) {
      if (stopDispatch) break;
      const last = firstIndex + chunk.lines;
      const targets: Target[] = [];
      let badCheckpoint: CheckpointItem | undefined;
      for (let item = await peek(); item; item = await peek()) {
        if (item.problem) {
          badCheckpoint = item;
          peeked = undefined;
          stopDispatch = true;
          break;
        }
        if (item.checkpoint!.size > last) break;
        targets.push({
          size: item.checkpoint!.size,
          root: Buffer.from(item.checkpoint!.rootHash, 'base64'),
          line: item.line,
        });
        peeked = undefined;
      }
      if (
        trusted &&
        trusted.size >= firstIndex &&
        trusted.size <= last &&
        !(trusted.size === firstIndex && firstIndex > 0)
      ) {
        targets.push(trusted);
        targets.sort((a, b) => a.size - b.size);
      }
      const offsets = [...new Set(targets.map((t) => t.size - firstIndex))];
      inFlight.push({
        firstIndex,
        bytes: chunk.bytes.byteLength,
        targets,
        badCheckpoint,
        result: runner.run(chunk.bytes, firstIndex, offsets),
      });
      firstIndex = last;
      while (inFlight.length >= runner.parallel * 2) {
        const problem = await settle();
        if (problem) return finish(problem);
      }
    }
    while (inFlight.length > 0) {
      const problem = await settle();
      if (problem) return finish(problem);
    }
    report.redacted = [...redacted].sort((a, b) => a - b);
    const endProblems: Problem[] = [];
    let item = await peek();
    while (item?.checkpoint && item.checkpoint.size === 0 && frontier.size === 0) {
      if (!frontier.root().equals(Buffer.from(item.checkpoint.rootHash, 'base64'))) {
        return finish({
          firstBadIndex: 0,
          badCheckpoint: item.line,
          code: 'AUDIT.ROOT_MISMATCH',
          message: 'an empty checkpoint has a non-empty root',
        });
      }
      report.checkpoints += 1;
      peeked = undefined;
      item = await peek();
    }
    if (item?.problem) {
      endProblems.push({ firstBadIndex: report.checkpointSize, badCheckpoint: item.line, ...item.problem });
    } else if (item?.checkpoint) {
      endProblems.push({
        firstBadIndex: frontier.size,
        badCheckpoint: item.line,
        code: 'AUDIT.ENTRIES_MISSING',
        message: `a checkpoint covers ${item.checkpoint.size} entries, the export has ${frontier.size}`,
      });
    }
    if (trusted && trusted.size > frontier.size) {
      endProblems.push({
        firstBadIndex: frontier.size,
        code: 'AUDIT.ENTRIES_MISSING',
        message: `the trusted checkpoint covers ${trusted.size} entries, the export has ${frontier.size}`,
      });
    }
    if (frontier.size === 0 && trusted?.size === 0 && !trusted.root.equals(frontier.root())) {
      endProblems.push({
        firstBadIndex: 0,
        code: 'AUDIT.TRUSTED_CHECKPOINT_MISMATCH',
        message: 'the trusted root is not the empty root',
      });
    }
    if (frontier.size > 0 && report.checkpoints === 0 && !trusted) {
      endProblems.push({
        firstBadIndex: 0,
        code: 'AUDIT.CHECKPOINT_MISSING',
        message: 'no checkpoint covers the entries',
      });
    }
    if (pending.size > 0) {
      const index = Math.min(...pending.values());
      endProblems.push({
        firstBadIndex: index,
        code: 'AUDIT.OPENING_MISSING',
        message: `entry ${index} lacks an opening and no redaction entry names it`,
      });
    }
    return finish(endProblems.sort((a, b) => a.firstBadIndex - b.firstBadIndex)[0]);
  } catch (error) {
    return finish({
      firstBadIndex: report.size,
      code: error instanceof AuditError ? error.code : 'AUDIT.EXPORT_UNREADABLE',
      message: `verification stopped: ${error instanceof Error ? error.message : String(error)}`,
    });
  } finally {
    await runner.close();
    await checkpoints.return?.(undefined);
  }
}

/**
 * Reads a trusted checkpoint file: a line of checkpoints.jsonl, or a bare checkpoint JWS.
 *
 * @example verifyAuditExport(dir, { trustedCheckpoint: readTrustedCheckpoint('last-verified.json') })
 */
export function readTrustedCheckpoint(path: string): ExportedCheckpoint {
  const text = readFileSync(path, 'utf8').trim();
  if (text.startsWith('{')) return JSON.parse(text) as ExportedCheckpoint;
  return { checkpoint: text, cosignatures: [] };
}
