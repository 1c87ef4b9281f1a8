/**
 * Benchmark, not a test (`npm run bench:audit`; jest is only the TypeScript runner here, and the normal
 * test run never matches *.bench.ts). Measures, on this machine:
 *  1. append throughput of the gateway's AuditLog (one transaction per batch under the frontier row lock)
 *     against PostgreSQL (KP_TEST_POSTGRES_URL), batch sizes 1, 10 and 100, 8 concurrent writers;
 *  2. `verifyAuditExport` entries/s on an export of KP_BENCH_VERIFY_ENTRIES (default 1,000,000) entries
 *     made with the same machinery (prepareAuditEntry, the Merkle frontier, signed and cosigned checkpoint),
 *     in this thread and — when dist/ is built — through `ketenpoort audit verify` with worker threads.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  cosignCheckpoint,
  generateAuditKeyPair,
  MerkleFrontier,
  signCheckpoint,
  verifyAuditExport,
  writeAuditExport,
  type AuditEntry,
  type ExportedEntry,
} from '@ketenpoort/audit';
import {
  createDataSource,
  GATEWAY_ENTITIES,
  GATEWAY_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { createTestDatabase } from '@ketenpoort/testing';
import { prepareAuditEntry } from '../apps/gateway/src/audit/audit-preparation.js';
import { AuditLog } from '../apps/gateway/src/audit/infrastructure/audit-log.repository.js';

const WRITERS = 8;
const APPEND_ENTRIES = Number(process.env.KP_BENCH_APPEND_ENTRIES ?? 6000);
const VERIFY_ENTRIES = Number(process.env.KP_BENCH_VERIFY_ENTRIES ?? 1_000_000);
const FIELDS = [
  'subject.givenNames',
  'subject.familyName',
  'subject.birthDate',
  'subject.sex',
  'subject.nationalities',
  'subject.documents[]',
  'subject.phone',
  'subject.address.street',
  'subject.address.municipality',
  'exploitation.forms',
  'exploitation.sector',
  'exploitation.countries',
  'situation.needsShelter',
  'situation.narrative',
  'situation.healthNotes',
  'case.reference',
  'case.officer.name',
];
const ACTIONS = ['pseudonymised', 'forwarded', 'generalised', 'dropped'] as const;

/** A realistic mix: one received entry (fields, two subject tokens), one forwarded, one delivered. */
function entryAt(i: number): AuditEntry {
  const base = {
    at: new Date(1_767_000_000_000 + i).toISOString(),
    correlationId: randomUUID(),
    recordId: randomUUID(),
  };
  switch (i % 3) {
    case 0:
      return {
        ...base,
        event: 'signal.received',
        partnerId: 'politie-oost-brabant',
        signalId: randomUUID(),
        purpose: 'registration',
        legalGround: 'art-6-1-e',
        policyVersion: 'a'.repeat(64),
        keyVersion: 1,
        fields: FIELDS.map((field, f) => ({ field, action: ACTIONS[f % ACTIONS.length] })),
        subjectTokens: [
          `v1.audit.subj.${i.toString(36).padStart(52, 'a')}`,
          `v1.audit.subj.${i.toString(36).padStart(52, 'b')}`,
        ],
        payloadDigest: `sha256:${'0'.repeat(64)}`,
      };
    case 1:
      return {
        ...base,
        event: 'signal.forwarded',
        purpose: 'registration',
        policyVersion: 'a'.repeat(64),
        keyVersion: 1,
      };
    default:
      return {
        ...base,
        event: 'signal.delivered',
        registerReceipt: { jws: `eyJ${'x'.repeat(420)}`, receivedAt: base.at },
      };
  }
}

async function benchAppend(
  batch: number,
  url: string,
): Promise<{ entriesPerSecond: number; commitsPerSecond: number }> {
  const dataSource = createDataSource({
    url,
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
    poolSize: WRITERS,
    name: 'bench',
  });
  await dataSource.initialize();
  await runMigrations(dataSource);
  const log = new AuditLog(dataSource);
  const batches = Math.ceil(APPEND_ENTRIES / batch);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < batches) {
        const n = next++;
        const prepared = Array.from({ length: batch }, (_, k) => prepareAuditEntry(entryAt(n * batch + k)));
        await dataSource.transaction((manager) => log.appendWithin(manager, prepared));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const size = (await log.frontier()).size;
  await dataSource.destroy();
  expect(size).toBe(batches * batch);
  return { entriesPerSecond: size / seconds, commitsPerSecond: batches / seconds };
}

async function makeExport(dir: string, count: number): Promise<void> {
  const signer = await generateAuditKeyPair();
  const witness = await generateAuditKeyPair();
  const frontier = MerkleFrontier.empty();
  function* entries(): Generator<ExportedEntry> {
    for (let i = 0; i < count; i++) {
      const p = prepareAuditEntry(entryAt(i));
      frontier.append(p.leafHash);
      yield { index: i, entry: p.entry, leafHash: p.leafHash.toString('base64'), openings: p.openings };
    }
  }
  // Entries first (the frontier fills while they are written), then the checkpoint over all of them.
  await writeAuditExport(dir, {
    entries: entries(),
    checkpoints: (async function* () {
      const checkpoint = {
        origin: 'bench/audit',
        size: frontier.size,
        rootHash: frontier.root().toString('base64'),
        time: new Date().toISOString(),
      };
      yield {
        checkpoint: await signCheckpoint(checkpoint, signer.privateJwk),
        cosignatures: [await cosignCheckpoint(checkpoint, witness.privateJwk)],
      };
    })(),
    keys: { signers: { keys: [signer.publicJwk] }, witnesses: { keys: [witness.publicJwk] } },
  });
}

describe('audit benchmark', () => {
  it('measures append and verify throughput', async () => {
    const rows: string[][] = [['measure', 'entries/s', 'commits/s', 'note']];
    for (const batch of [1, 10, 100]) {
      const db = await createTestDatabase('postgres');
      try {
        const r = await benchAppend(batch, db.url);
        rows.push([
          `append, batch ${batch}`,
          r.entriesPerSecond.toFixed(0),
          r.commitsPerSecond.toFixed(0),
          `${WRITERS} writers, ${APPEND_ENTRIES} entries, PostgreSQL`,
        ]);
        process.stdout.write(`${rows.at(-1)!.join('  ')}\n`);
      } finally {
        await db.drop();
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'kp-bench-verify-'));
    try {
      let started = Date.now();
      await makeExport(join(dir, 'export'), VERIFY_ENTRIES);
      const made = (Date.now() - started) / 1000;
      const bytes = statSync(join(dir, 'export', 'entries.jsonl')).size;
      rows.push([
        'make export',
        (VERIFY_ENTRIES / made).toFixed(0),
        '-',
        `${VERIFY_ENTRIES} entries, ${(bytes / 1e6).toFixed(0)} MB`,
      ]);
      started = Date.now();
      const report = await verifyAuditExport(join(dir, 'export'), { workers: 0 });
      const verified = (Date.now() - started) / 1000;
      expect(report).toMatchObject({ ok: true, size: VERIFY_ENTRIES });
      rows.push([
        'verify, this thread',
        (VERIFY_ENTRIES / verified).toFixed(0),
        '-',
        `${verified.toFixed(1)} s`,
      ]);
      const cli = resolve('dist/apps/cli/src/main.js');
      if (existsSync(cli)) {
        started = Date.now();
        const run = spawnSync(process.execPath, [cli, 'audit', 'verify', join(dir, 'export')], {
          encoding: 'utf8',
        });
        const seconds = (Date.now() - started) / 1000;
        expect(run.status).toBe(0);
        rows.push([
          'verify, CLI (workers)',
          (VERIFY_ENTRIES / seconds).toFixed(0),
          '-',
          `${seconds.toFixed(1)} s incl. start`,
        ]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    console.log(rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n'));
  }, 3_600_000);
});
