/**
 * Benchmark (not a test) of `audit verify` on 1,000,000 generated entries (~600 bytes a line).
 *
 * Run from the repository root (compiles to a temp folder, rewrites the @ketenpoort aliases):
 *   npx tsc -p tsconfig.json --outDir /tmp/kp-bench --sourceMap false; \
 *   npx tsc-alias -p tsconfig.json --outDir /tmp/kp-bench && ln -sfn "$PWD/node_modules" /tmp/kp-bench/node_modules && \
 *   node /tmp/kp-bench/bench/audit-verify.bench.js [entries]
 * Prints wall-clock entries/s and entries per CPU-second (all threads), since a shared machine's load skews the
 * wall clock.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MerkleFrontier,
  auditLeafHash,
  commitSubjects,
  cosignCheckpoint,
  generateAuditKeyPair,
  signCheckpoint,
  verifyAuditExport,
  writeAuditExport,
  type AuditEntry,
  type Checkpoint,
  type ExportedCheckpoint,
  type ExportedEntry,
} from '@ketenpoort/audit';

const N = Number(process.argv[2] ?? 1_000_000);
const CHECKPOINT_EVERY = 2_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');

async function main(): Promise<void> {
  const dir = join(mkdtempSync(join(tmpdir(), 'kp-audit-bench-')), 'export');
  const signer = await generateAuditKeyPair();
  const witness = await generateAuditKeyPair();
  const frontier = MerkleFrontier.empty();
  const pending: Checkpoint[] = [];

  function* entries(): Generator<ExportedEntry> {
    for (let index = 0; index < N; index++) {
      const { commitments, openings } = commitSubjects([
        `v1.audit.subj.${index.toString(32).padStart(52, 'A')}`,
      ]);
      const entry: AuditEntry = {
        event: 'signal.forwarded',
        at: new Date(T0 + index * 37).toISOString(),
        correlationId: `3f0c8a2e-${index.toString(16).padStart(8, '0')}-4c5e-9f70-7a1b2c3d4e5f`,
        partnerId: index % 3 ? 'politie-oost-brabant' : 'zorgcoordinatie-utrecht',
        certificateFingerprint: 'a1b2c3d4e5f60718'.repeat(2),
        signalId: `0b5d${index.toString(16).padStart(8, '0')}-1234-4c5e-9f70-000000000000`,
        purpose: 'registration',
        legalGround: 'wpg-art-18-bpg-4-2',
        policyVersion: '2025.1',
        keyVersion: 3,
        fields: [
          { field: 'subject.givenNames', action: 'pseudonymised' },
          { field: 'situation.narrative', action: 'dropped' },
        ],
        subjectCommitments: commitments,
      };
      const leaf = auditLeafHash(entry);
      frontier.append(leaf);
      if (frontier.size % CHECKPOINT_EVERY === 0 || frontier.size === N) {
        pending.push({
          origin: 'bench',
          size: frontier.size,
          rootHash: frontier.root().toString('base64'),
          time: new Date(T0 + index * 37 + 1).toISOString(),
        });
      }
      yield { index, entry, openings, leafHash: leaf.toString('base64') };
    }
  }

  async function* checkpoints(): AsyncGenerator<ExportedCheckpoint> {
    for (const cp of pending) {
      yield {
        checkpoint: await signCheckpoint(cp, signer.privateJwk),
        cosignatures: [await cosignCheckpoint(cp, witness.privateJwk)],
      };
    }
  }

  let t = performance.now();
  await writeAuditExport(dir, {
    entries: entries(),
    checkpoints: checkpoints(),
    keys: { signers: { keys: [signer.publicJwk] }, witnesses: { keys: [witness.publicJwk] } },
  });
  const bytes = statSync(join(dir, 'entries.jsonl')).size;
  console.log(
    `generated ${N} entries (${(bytes / N).toFixed(0)} bytes a line, ${pending.length} checkpoints) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  for (const workers of [Math.min(4, availableParallelism()), 0]) {
    t = performance.now();
    const cpu = process.cpuUsage();
    const report = await verifyAuditExport(dir, { workers });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `audit verify (${workers} worker threads): ok=${report.ok} size=${report.size} in ${seconds.toFixed(2)} s = ` +
        `${Math.round(N / seconds).toLocaleString('en')} entries/s wall; ${cpuSeconds.toFixed(2)} CPU-s = ` +
        `${Math.round(N / cpuSeconds).toLocaleString('en')} entries per CPU-second (load average ${loadavg()[0].toFixed(1)})`,
    );
  }
  rmSync(join(dir, '..'), { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
