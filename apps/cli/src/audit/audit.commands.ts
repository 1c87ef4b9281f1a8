import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProgress } from '../common/progress.js';
import { issueDevToken } from '../token/token.command.js';
import { exportAuditLog } from './audit-export.js';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  readTrustedCheckpoint,
  verifyAuditExport,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  type AuditKeys,
  type AuditVerifyOptions,
  type AuditVerifyReport,
  type ConsistencyProofJson,
  type InclusionProofJson,
} from '@ketenpoort/audit';

export interface AuditVerifyCommandOptions {
  trustedCheckpoint?: string;
  keys?: string;
  workers?: number;
  json?: boolean;
  /** Show a progress bar (default: when stderr is a TTY). */
  progress?: boolean;
}

type Print = (line: string) => void;

const readKeys = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as AuditKeys;

/** One line a person can read; the JSON report follows with --json. */
export function formatAuditReport(report: AuditVerifyReport): string {
  const redacted = report.redacted.length ? `; redacted leaves: ${report.redacted.join(', ')}` : '';
  if (report.ok) {
    const tail =
      report.size > report.checkpointSize
        ? `; ${report.size - report.checkpointSize} newest entries not yet under a checkpoint`
        : '';
    return `audit verify: OK — ${report.size} entries, ${report.checkpoints} checkpoints (newest covers ${report.checkpointSize})${redacted}${tail}`;
  }
  const where =
    report.badCheckpoint !== undefined ? ` (checkpoints.jsonl line ${report.badCheckpoint + 1})` : '';
  return `audit verify: FAILED — first bad index ${report.firstBadIndex}${where}: ${report.problem?.code}: ${report.problem?.message}`;
}

/**
 * `audit verify DIR`: verifies an export offline; returns the exit code (0 intact, 1 not).
 *
 * @example process.exitCode = await runAuditVerify('/tmp/export', {}, console.log)
 */
export async function runAuditVerify(
  dir: string,
  opts: AuditVerifyCommandOptions,
  print: Print,
): Promise<number> {
  const options: AuditVerifyOptions = {};
  if (opts.trustedCheckpoint) options.trustedCheckpoint = readTrustedCheckpoint(opts.trustedCheckpoint);
  if (opts.keys) options.keys = readKeys(opts.keys);
  if (opts.workers !== undefined) options.workers = opts.workers;
  const showProgress = opts.progress ?? process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  if (showProgress) {
    bar = new cliProgress.SingleBar(
      {
        format: 'verifying [{bar}] {percentage}% | {entries} entries | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { entries: 0 });
    options.onProgress = (p) => {
      bar!.setTotal(Math.max(1, p.totalBytes));
      bar!.update(p.bytesRead, { entries: p.entries });
    };
  }
  const report = await verifyAuditExport(dir, options).finally(() => bar?.stop());
  print(formatAuditReport(report));
  if (opts.json) print(JSON.stringify(report, null, 2));
  return report.ok ? 0 : 1;
}

/**
 * `audit proof verify PROOF --checkpoint FILE --keys FILE [--from FILE]`: checks an inclusion proof
 * (`{ leafIndex, treeSize, leafHash, hashes }`) or a consistency proof (`{ size1, size2, hashes }`, with
 * --from the older checkpoint) against signed checkpoints. Returns the exit code.
 *
 * @example await runProofVerify('proof.json', { checkpoint: 'cp.json', keys: 'keys.json' }, console.log)
 */
export async function runProofVerify(
  proofPath: string,
  opts: { checkpoint: string; keys: string; from?: string },
  print: Print,
): Promise<number> {
  const keys = readKeys(opts.keys);
  const proof = JSON.parse(readFileSync(proofPath, 'utf8')) as Partial<
    InclusionProofJson & ConsistencyProofJson
  >;
  const { checkpoint } = await verifyCheckpoint(
    readTrustedCheckpoint(opts.checkpoint).checkpoint,
    keys.signers,
  );
  const hashes = (proof.hashes ?? []).map((h) => Buffer.from(String(h), 'base64'));
  const root = Buffer.from(checkpoint.rootHash, 'base64');
  let ok: boolean;
  let what: string;
  if (proof.leafIndex !== undefined) {
    what = `inclusion of leaf ${proof.leafIndex} in checkpoint of size ${checkpoint.size}`;
    ok =
      proof.treeSize === checkpoint.size &&
      verifyInclusion(
        Buffer.from(String(proof.leafHash), 'base64'),
        proof.leafIndex,
        checkpoint.size,
        hashes,
        root,
      );
  } else {
    if (!opts.from) throw new Error('a consistency proof needs --from <older checkpoint>');
    const { checkpoint: older } = await verifyCheckpoint(
      readTrustedCheckpoint(opts.from).checkpoint,
      keys.signers,
    );
    what = `consistency from size ${older.size} to ${checkpoint.size}`;
    ok =
      proof.size1 === older.size &&
      proof.size2 === checkpoint.size &&
      verifyConsistency(older.size, checkpoint.size, Buffer.from(older.rootHash, 'base64'), root, hashes);
  }
  print(`audit proof verify: ${ok ? 'OK' : 'FAILED'} — ${what}`);
  return ok ? 0 : 1;
}

/** Adds `audit verify` and `audit proof verify` to the CLI (`audit export` needs the database: gateway side). */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the Merkle audit log: offline verification and proofs');

  audit
    .command('export')
    .description('write the audit log as plain files for offline verification')
    .requiredOption('--out <dir>', 'new folder for entries.jsonl, checkpoints.jsonl and keys.json')
    .option('--gateway-admin-url <url>', 'the gateway admin listener', 'https://127.0.0.1:8444')
    .option(
      '--token <jwt>',
      'bearer token of a privacy officer or auditor (dev: issued from the data folder)',
    )
    .option('--ca <file>', 'CA certificate of the admin listener (dev: <data-dir>/pki/ca.crt)')
    .option('--data-dir <dir>', 'data folder (embedded default)', process.env.KETENPOORT_DATA_DIR ?? '.data')
    .action(
      async (opts: {
        out: string;
        gatewayAdminUrl: string;
        token?: string;
        ca?: string;
        dataDir: string;
      }) => {
        const dataDir = resolve(opts.dataDir);
        const token = opts.token ?? (await issueDevToken(dataDir, { role: 'auditor', sub: 'audit-export' }));
        const ca = readFileSync(opts.ca ?? join(dataDir, 'pki', 'ca.crt'), 'utf8');
        const progress = createProgress({ total: 0, label: 'exporting entries' });
        const result = await exportAuditLog(
          { adminUrl: opts.gatewayAdminUrl, token, ca },
          opts.out,
          progress,
        );
        progress.stop();
        console.log(
          `exported ${result.entries} entries and ${result.checkpoints} cosigned checkpoints to ${opts.out}`,
        );
      },
    );

  audit
    .command('verify')
    .description(
      'verify an audit export directory offline; exit code 0 when intact, 1 with the first bad index',
    )
    .argument('<dir>', 'export directory (entries.jsonl, checkpoints.jsonl, keys.json)')
    .option(
      '--trusted-checkpoint <file>',
      'your last trusted checkpoint (a checkpoints.jsonl line or a bare JWS)',
    )
    .option('--keys <file>', 'keys you trust, instead of the export’s keys.json')
    .option('--workers <n>', 'worker threads (0 = none)', (v) => Number.parseInt(v, 10))
    .option('--json', 'also print the report as JSON')
    .action(async (dir: string, opts: AuditVerifyCommandOptions) => {
      process.exitCode = await runAuditVerify(dir, opts, (line) => console.log(line));
    });

  audit
    .command('proof')
    .description('inclusion and consistency proofs')
    .command('verify')
    .description('verify an inclusion or consistency proof against signed checkpoints')
    .argument('<proof>', 'proof JSON file')
    .requiredOption('--checkpoint <file>', 'the checkpoint the proof is against')
    .requiredOption('--keys <file>', 'keys.json with the checkpoint signer keys')
    .option('--from <file>', 'the older checkpoint, for a consistency proof')
    .action(async (proof: string, opts: { checkpoint: string; keys: string; from?: string }) => {
      process.exitCode = await runProofVerify(proof, opts, (line) => console.log(line));
    });
}
