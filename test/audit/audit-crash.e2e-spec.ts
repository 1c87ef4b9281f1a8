import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyAuditExport, type AuditEntry } from '@ketenpoort/audit';
import { startEmbeddedPostgres } from '@ketenpoort/persistence';
import { aSignal, eventually, httpsRequest } from '@ketenpoort/testing';
import { exportAuditLog } from '../../apps/cli/src/audit/audit-export.js';
import { issueDevToken } from '../../apps/cli/src/token/token.command.js';

const ROOT = resolve('.');
const MAIN = join(ROOT, 'dist/apps/cli/src/main.js');
const PARTNERS = ['politie-oost-brabant', 'kmar', 'arbeidsinspectie'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** The crash test runs the real CLI in a child process: build it when dist is older than the sources. */
function ensureBuilt(): void {
  const built = (() => {
    try {
      return statSync(MAIN).mtimeMs;
    } catch {
      return 0;
    }
  })();
  if (built > Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')))) return;
  // Emits even when files others are still writing have type errors; the CLI must then exist.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  const alias = spawnSync('npx', ['tsc-alias', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (alias.status !== 0 || statSync(MAIN).mtimeMs <= built) throw new Error('could not build dist/');
}

interface Running {
  child: ChildProcess;
  partnerUrl: string;
  adminUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `ketenpoort dev` on ephemeral ports, optionally with a fault point armed. */
async function startDev(dataDir: string, fault?: { point: string; after: number }): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'dev',
      '--data-dir',
      dataDir,
      '--config-dir',
      join(ROOT, 'config'),
      '--gateway-port',
      '0',
      '--admin-port',
      '0',
      '--register-intake-port',
      '0',
      '--register-api-port',
      '0',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        ...(fault
          ? { KETENPOORT_FAULT_POINT: fault.point, KETENPOORT_FAULT_AFTER: String(fault.after) }
          : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let out = '';
  child.stderr!.resume();
  const urls = await new Promise<{ partnerUrl: string; adminUrl: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`dev did not start: ${out.slice(-500)}`)), 150_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const partner = /partner API \(mTLS\):\s+(https:\/\/\S+)\/v1\/signals/.exec(out);
      const admin = /admin API \(tokens\):\s+(https:\/\/\S+)\/v1\/admin\/status/.exec(out);
      if (partner && admin && out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        done({ partnerUrl: partner[1], adminUrl: admin[1] });
      }
    });
    void exited.then(() => fail(new Error(`dev exited while starting: ${out.slice(-500)}`)));
  });
  return { child, exited, ...urls };
}

async function stop(running: Running): Promise<void> {
  running.child.kill('SIGTERM');
  await running.exited;
}

/**
 * A gateway killed with SIGKILL at the fault points around index assignment and commit: after a restart
 * no index was assigned without a durable entry, every acknowledged signal is in the log, and the log
 * verifies.
 */
describe('audit log after a gateway is killed (embedded, separate process)', () => {
  let dataDir: string;
  let ca: string;
  const acknowledged: string[] = [];

  const send = (partnerUrl: string, partner: string, body: unknown) =>
    httpsRequest(`${partnerUrl}/v1/signals`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      ca,
      cert: readFileSync(join(dataDir, 'pki', 'partners', `${partner}.crt`), 'utf8'),
      key: readFileSync(join(dataDir, 'pki', 'partners', `${partner}.key`), 'utf8'),
    });

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'kp-audit-crash-'));
    // First start: dev PKI, keys, databases and the governance bootstrap — no fault armed.
    await stop(await startDev(dataDir));
    ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  }, 400_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    'audit.before-index-assignment',
    'audit.after-index-assignment',
    'intake.before-commit',
    'intake.after-commit',
  ])(
    'survives a SIGKILL at %s',
    async (point) => {
      const crashing = await startDev(dataDir, { point, after: 3 });
      let died = false;
      void crashing.exited.then(() => (died = true));
      const deadline = Date.now() + 60_000;
      for (let i = 0; i < 200 && !died && Date.now() < deadline; i++) {
        const signal = aSignal().build();
        try {
          const answer = await send(crashing.partnerUrl, PARTNERS[i % PARTNERS.length], signal);
          if (answer.status >= 200 && answer.status < 300) acknowledged.push(signal.signalId as string);
        } catch {
          // the connection died with the process
        }
      }
      expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const restarted = await startDev(dataDir);
      let report;
      let received: string[] = [];
      try {
        const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'crash-test' });
        const access = { adminUrl: restarted.adminUrl, token, ca };
        // Quiet: the outbox has delivered what was pending and a cosigned checkpoint covers everything.
        let previous = -1;
        await eventually(
          async () => {
            const answer = await httpsRequest(`${restarted.adminUrl}/v1/admin/audit/checkpoints/latest`, {
              ca,
              headers: { authorization: `Bearer ${token}` },
            });
            const latest =
              answer.status === 200 ? answer.json<{ size: number; cosignatures: string[] }>() : null;
            const stable = latest && latest.cosignatures.length > 0 && latest.size === previous;
            previous = latest?.size ?? -1;
            return stable ? true : undefined;
          },
          30_000,
          1_500,
        );
        const dir = join(dataDir, `export-${point}`);
        await exportAuditLog(access, dir);
        report = await verifyAuditExport(dir);
        received = readFileSync(join(dir, 'entries.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => (JSON.parse(line) as { entry: AuditEntry }).entry)
          .filter((e) => e.event === 'signal.received')
          .map((e) => e.signalId!);
      } finally {
        await stop(restarted);
      }
      const db = await startEmbeddedPostgres({ dataDir: join(dataDir, 'db', 'gateway'), port: 0 });
      let shape: { n: number; max: number; frontier: number };
      try {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        const { rows } = await client.query(
          `SELECT count(*)::int AS n, COALESCE(max(idx), -1)::int AS max,
                  (SELECT (frontier ->> 'size')::int FROM audit_frontier) AS frontier FROM audit_entry`,
        );
        await client.end();
        shape = rows[0] as typeof shape;
      } finally {
        await db.stop();
      }
      expect({
        frontierIsCount: shape.frontier === shape.n,
        contiguous: shape.max + 1 === shape.n,
        verified: report?.ok,
        missing: acknowledged.filter((id) => !received.includes(id)),
      }).toEqual({ frontierIsCount: true, contiguous: true, verified: true, missing: [] });
    },
    480_000,
  );
});
