import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MerkleTree,
  auditLeafHash,
  commitSubjects,
  cosignCheckpoint,
  generateAuditKeyPair,
  signCheckpoint,
  writeAuditExport,
  type AuditEntry,
  type Checkpoint,
  type ExportedEntry,
} from '@ketenpoort/audit';
import { runAuditVerify, runProofVerify } from './audit.commands.js';

const root = mkdtempSync(join(tmpdir(), 'kp-audit-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let tree: MerkleTree;
let entries: ExportedEntry[];
let cpLine: string;

beforeAll(async () => {
  const signer = await generateAuditKeyPair();
  const witness = await generateAuditKeyPair();
  tree = new MerkleTree();
  entries = Array.from({ length: 40 }, (_, index) => {
    const { commitments, openings } = commitSubjects([`v1.audit.subj.T${index}`]);
    const entry: AuditEntry = {
      event: 'signal.received',
      at: `2025-02-01T00:00:${String(index).padStart(2, '0')}Z`,
      correlationId: `c${index}`,
      subjectCommitments: commitments,
    };
    tree.append(auditLeafHash(entry));
    return { index, entry, openings, leafHash: auditLeafHash(entry).toString('base64') };
  });
  const cp: Checkpoint = {
    origin: 'cli.test',
    size: 40,
    rootHash: tree.root().toString('base64'),
    time: '2025-02-01T00:01:00Z',
  };
  const line = {
    checkpoint: await signCheckpoint(cp, signer.privateJwk),
    cosignatures: [await cosignCheckpoint(cp, witness.privateJwk)],
  };
  dir = join(root, 'export');
  await writeAuditExport(dir, {
    entries,
    checkpoints: [line],
    keys: { signers: { keys: [signer.publicJwk] }, witnesses: { keys: [witness.publicJwk] } },
  });
  cpLine = join(root, 'checkpoint.json');
  writeFileSync(cpLine, JSON.stringify(line));
});

describe(runAuditVerify.name, () => {
  it('exits 0 and says OK for an intact export', async () => {
    const out: string[] = [];
    expect(
      await runAuditVerify(dir, { progress: false, trustedCheckpoint: cpLine }, (l) => out.push(l)),
    ).toBe(0);
    expect(out[0]).toMatch(/^audit verify: OK — 40 entries, 1 checkpoints/);
  });

  it('exits 1 and names the first bad index of a tampered export', async () => {
    const bad = join(root, 'tampered');
    mkdirSync(bad);
    for (const file of ['checkpoints.jsonl', 'keys.json']) copyFileSync(join(dir, file), join(bad, file));
    const lines = readFileSync(join(dir, 'entries.jsonl'), 'utf8').split('\n');
    writeFileSync(join(bad, 'entries.jsonl'), lines.filter((_, i) => i !== 17).join('\n'));
    const out: string[] = [];
    expect(await runAuditVerify(bad, { progress: false, json: true }, (l) => out.push(l))).toBe(1);
    expect(out[0]).toContain('first bad index 17');
    expect(JSON.parse(out[1])).toMatchObject({ ok: false, firstBadIndex: 17 });
  });
});

describe(runProofVerify.name, () => {
  const keys = () => join(dir, 'keys.json');

  it('accepts an inclusion proof against the signed checkpoint', async () => {
    const proof = join(root, 'inclusion.json');
    writeFileSync(
      proof,
      JSON.stringify({
        leafIndex: 9,
        treeSize: 40,
        leafHash: entries[9].leafHash,
        hashes: tree.inclusionProof(9).map((h) => h.toString('base64')),
      }),
    );
    expect(await runProofVerify(proof, { checkpoint: cpLine, keys: keys() }, () => undefined)).toBe(0);
  });

  it('rejects an inclusion proof for another leaf', async () => {
    const proof = join(root, 'inclusion-bad.json');
    writeFileSync(
      proof,
      JSON.stringify({
        leafIndex: 9,
        treeSize: 40,
        leafHash: entries[10].leafHash,
        hashes: tree.inclusionProof(9).map((h) => h.toString('base64')),
      }),
    );
    expect(await runProofVerify(proof, { checkpoint: cpLine, keys: keys() }, () => undefined)).toBe(1);
  });
});
