import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExportedCheckpoint } from './audit-export.format.js';
import { writeAuditExport } from './audit-export.js';
import { auditLeafHash } from './audit-leaf.js';
import { verifyAuditExport, type AuditVerifyProgress } from './audit-verify.js';
import { cosignCheckpoint, generateAuditKeyPair, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { MerkleTree } from './merkle-tree.js';
import { buildAuditLog, type AuditLogFixture } from './testing/audit-log.fixture.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kp-audit-verify-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
const writeLines = (path: string, lines: string[]) =>
  writeFileSync(path, lines.map((l) => l + '\n').join(''));

/** Writes the fixture as an export, then lets a test tamper with the lines of its files. */
async function exported(
  log: AuditLogFixture,
  tamper: { entries?: (lines: string[]) => string[]; checkpoints?: (lines: string[]) => string[] } = {},
): Promise<string> {
  const dir = join(tempDir(), 'export');
  await writeAuditExport(dir, { entries: log.entries, checkpoints: log.checkpoints, keys: log.keys });
  for (const [file, edit] of [
    ['entries.jsonl', tamper.entries],
    ['checkpoints.jsonl', tamper.checkpoints],
  ] as const) {
    if (edit) writeLines(join(dir, file), edit(readLines(join(dir, file))));
  }
  return dir;
}

/** Re-signs a history the way a malicious operator holding both keys would. */
async function resigned(
  log: AuditLogFixture,
  edit: (entries: AuditLogFixture['entries']) => void,
): Promise<AuditLogFixture> {
  const entries = log.entries.map((e) => structuredClone(e));
  edit(entries);
  entries.forEach((e) => (e.leafHash = auditLeafHash(e.entry).toString('base64')));
  const tree = MerkleTree.fromLeafHashes(entries.map((e) => auditLeafHash(e.entry)));
  const checkpoints: ExportedCheckpoint[] = [];
  for (const cp of log.checkpointList) {
    const next: Checkpoint = { ...cp, rootHash: tree.root(cp.size).toString('base64') };
    checkpoints.push({
      checkpoint: await signCheckpoint(next, log.signer.privateJwk),
      cosignatures: [await cosignCheckpoint(next, log.witness.privateJwk)],
    });
  }
  return { ...log, entries, checkpoints, tree };
}

const editEntry = (line: string, from: string, to: string) => {
  expect(line).toContain(from);
  return line.replace(from, to);
};

describe(verifyAuditExport.name, () => {
  const sut = verifyAuditExport;
  let log: AuditLogFixture;

  beforeAll(async () => {
    log = await buildAuditLog({ size: 200, checkpointEvery: 50, redact: [30] });
  });

  it('accepts an intact export and reports the redacted leaf', async () => {
    expect(await sut(await exported(log))).toEqual({
      ok: true,
      size: 200,
      checkpointSize: 200,
      checkpoints: 4,
      redacted: [30],
    });
  });

  it('names an edited entry by its index', async () => {
    const dir = await exported(log, {
      entries: (l) =>
        l.map((line, i) =>
          i === 120 ? editEntry(line, '"purpose":"registration"', '"purpose":"advice"') : line,
        ),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 120,
      problem: { code: 'AUDIT.LEAF_HASH_MISMATCH' },
    });
  });

  it('catches an edit whose stored leaf hash was rewritten too, from the last good checkpoint on', async () => {
    const dir = await exported(log, {
      entries: (l) =>
        l.map((line, i) => {
          if (i !== 120) return line;
          const value = JSON.parse(line);
          value.entry.purpose = 'advice';
          value.leafHash = auditLeafHash(value.entry).toString('base64');
          return JSON.stringify(value);
        }),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 100,
      badCheckpoint: 2,
      problem: { code: 'AUDIT.ROOT_MISMATCH' },
    });
  });

  it('names a deleted entry by its index', async () => {
    const dir = await exported(log, { entries: (l) => l.filter((_, i) => i !== 120) });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 120,
      problem: { code: 'AUDIT.INDEX_GAP' },
    });
  });

  it('names the first of two swapped entries', async () => {
    const dir = await exported(log, {
      entries: (l) => [...l.slice(0, 120), l[121], l[120], ...l.slice(122)],
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 120,
      problem: { code: 'AUDIT.INDEX_GAP' },
    });
  });

  it('names the first missing index when the tail is truncated under a checkpoint', async () => {
    const dir = await exported(log, { entries: (l) => l.slice(0, 170) });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 170,
      problem: { code: 'AUDIT.ENTRIES_MISSING' },
    });
  });

  it('names an inserted entry by the index it took', async () => {
    const dir = await exported(log, {
      entries: (l) => {
        const forged = JSON.parse(l[120]);
        forged.entry.correlationId = 'inserted';
        forged.leafHash = auditLeafHash(forged.entry).toString('base64');
        return [...l.slice(0, 120), JSON.stringify(forged), ...l.slice(120)];
      },
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 120,
      problem: { code: 'AUDIT.INDEX_DUPLICATE' },
    });
  });

  it('refuses an old checkpoint replayed as the newest', async () => {
    const dir = await exported(log, { checkpoints: (l) => [...l, l[0]] });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      badCheckpoint: 4,
      firstBadIndex: 200,
      problem: { code: 'AUDIT.CHECKPOINT_REGRESS' },
    });
  });

  it('catches a truncated log presented with its old checkpoints, given the trusted checkpoint', async () => {
    const trustedCheckpoint = log.checkpoints[3];
    const dir = await exported(log, { entries: (l) => l.slice(0, 150), checkpoints: (l) => l.slice(0, 3) });
    expect(await sut(dir, { trustedCheckpoint })).toMatchObject({
      ok: false,
      firstBadIndex: 150,
      problem: { code: 'AUDIT.ENTRIES_MISSING' },
    });
  });

  it('refuses a checkpoint signed by another key', async () => {
    const other = await generateAuditKeyPair();
    const forged = await signCheckpoint(log.checkpointList[2], other.privateJwk);
    const dir = await exported(log, {
      checkpoints: (l) =>
        l.map((line, i) => (i === 2 ? JSON.stringify({ ...JSON.parse(line), checkpoint: forged }) : line)),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      badCheckpoint: 2,
      firstBadIndex: 100,
      problem: { code: 'AUDIT.CHECKPOINT_SIGNATURE' },
    });
  });

  it('refuses a checkpoint without a cosignature', async () => {
    const dir = await exported(log, {
      checkpoints: (l) =>
        l.map((line, i) => (i === 1 ? JSON.stringify({ ...JSON.parse(line), cosignatures: [] }) : line)),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      badCheckpoint: 1,
      firstBadIndex: 50,
      problem: { code: 'AUDIT.COSIGNATURE_MISSING' },
    });
  });

  it('refuses a cosignature of another checkpoint', async () => {
    const dir = await exported(log, {
      checkpoints: (l) =>
        l.map((line, i) =>
          i === 1
            ? JSON.stringify({ ...JSON.parse(line), cosignatures: JSON.parse(l[0]).cosignatures })
            : line,
        ),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      badCheckpoint: 1,
      firstBadIndex: 50,
      problem: { code: 'AUDIT.COSIGNATURE_INVALID' },
    });
  });

  it('refuses a cosignature by a key that is not a witness', async () => {
    const cosig = await cosignCheckpoint(log.checkpointList[1], log.signer.privateJwk);
    const dir = await exported(log, {
      checkpoints: (l) =>
        l.map((line, i) => (i === 1 ? JSON.stringify({ ...JSON.parse(line), cosignatures: [cosig] }) : line)),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      badCheckpoint: 1,
      problem: { code: 'AUDIT.COSIGNATURE_INVALID' },
    });
  });

  it('reports an opening removed without a redaction entry as tampering', async () => {
    const dir = await exported(log, {
      entries: (l) =>
        l.map((line, i) => {
          if (i !== 60) return line;
          const value = JSON.parse(line);
          value.openings[0] = null;
          return JSON.stringify(value);
        }),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 60,
      problem: { code: 'AUDIT.OPENING_MISSING' },
    });
  });

  it('names an altered opening by its index', async () => {
    const dir = await exported(log, {
      entries: (l) => l.map((line, i) => (i === 61 ? editEntry(line, 'subj.T61', 'subj.T62') : line)),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 61,
      problem: { code: 'AUDIT.OPENING_MISMATCH' },
    });
  });

  it('refuses a history the operator rewrote and re-signed, against the officer’s trusted checkpoint', async () => {
    const rewritten = await resigned(log, (entries) => (entries[70].entry.purpose = 'advice'));
    const dir = await exported(rewritten);
    expect((await sut(dir)).ok).toBe(true);
    expect(await sut(dir, { trustedCheckpoint: log.checkpoints[1] })).toMatchObject({
      ok: false,
      problem: { code: 'AUDIT.TRUSTED_CHECKPOINT_MISMATCH' },
    });
  });

  it('refuses a history re-signed with other keys, against the officer’s keys', async () => {
    const signer = await generateAuditKeyPair();
    const witness = await generateAuditKeyPair();
    const forged = await resigned({ ...log, signer, witness }, () => undefined);
    const dir = await exported({
      ...forged,
      keys: { signers: { keys: [signer.publicJwk] }, witnesses: { keys: [witness.publicJwk] } },
    });
    expect((await sut(dir)).ok).toBe(true);
    expect(await sut(dir, { keys: log.keys })).toMatchObject({
      ok: false,
      firstBadIndex: 0,
      problem: { code: 'AUDIT.CHECKPOINT_SIGNATURE' },
    });
  });

  it('refuses entries that no checkpoint covers', async () => {
    const dir = await exported(log, { checkpoints: () => [] });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 0,
      problem: { code: 'AUDIT.CHECKPOINT_MISSING' },
    });
  });

  it('accepts lines laid out in another member order (re-canonicalising the entry)', async () => {
    const dir = await exported(log, {
      entries: (l) =>
        l.map((line) => {
          const { index, leafHash, openings, entry } = JSON.parse(line);
          return JSON.stringify({
            entry: Object.fromEntries(Object.entries(entry).reverse()),
            openings,
            leafHash,
            index,
          });
        }),
    });
    expect(await sut(dir)).toMatchObject({ ok: true, size: 200, redacted: [30] });
  });

  it('names a line that is not JSON', async () => {
    const dir = await exported(log, {
      entries: (l) => l.map((line, i) => (i === 7 ? line.slice(0, 40) : line)),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 7,
      problem: { code: 'AUDIT.LINE_MALFORMED' },
    });
  });

  it('reports progress up to the whole file', async () => {
    const seen: AuditVerifyProgress[] = [];
    await sut(await exported(log), { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toMatchObject({ entries: 200 });
    expect(seen.at(-1)!.bytesRead).toBe(seen.at(-1)!.totalBytes);
  });

  it('accepts the trusted checkpoint it was given when the log still extends it', async () => {
    expect(await sut(await exported(log), { trustedCheckpoint: log.checkpoints[1] })).toMatchObject({
      ok: true,
    });
  });
});

describe(`${verifyAuditExport.name} across chunks`, () => {
  const sut = verifyAuditExport;
  let log: AuditLogFixture;

  beforeAll(async () => {
    log = await buildAuditLog({ size: 10_000, checkpointEvery: 1024, redact: [4095, 9000] });
  }, 120_000);

  it('accepts an intact export of several chunks with checkpoints on chunk boundaries', async () => {
    expect(await sut(await exported(log), { trustedCheckpoint: log.checkpoints[5] })).toEqual({
      ok: true,
      size: 10_000,
      checkpointSize: 10_000,
      checkpoints: 10,
      redacted: [4095, 9000],
    });
  });

  it('names an edited entry in a later chunk', async () => {
    const dir = await exported(log, {
      entries: (l) =>
        l.map((line, i) => (i === 9002 ? editEntry(line, '"keyVersion":1', '"keyVersion":2') : line)),
    });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 9002,
      problem: { code: 'AUDIT.LEAF_HASH_MISMATCH' },
    });
  });

  it('localises a rewritten leaf hash to the checkpoint interval', async () => {
    const rewritten = await resigned(log, (entries) => (entries[5000].entry.purpose = 'advice'));
    const dir = await exported({ ...log, entries: rewritten.entries });
    expect(await sut(dir)).toMatchObject({
      ok: false,
      firstBadIndex: 4096,
      problem: { code: 'AUDIT.ROOT_MISMATCH' },
    });
  });
});
