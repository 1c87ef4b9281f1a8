/**
 * `npm run bench`: the gateway against PostgreSQL on this machine, load generator on the same machine.
 * Env: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres; fresh databases are created and
 * dropped), BENCH_BULK (signals through the batch endpoint, default 1,000,000), BENCH_SECONDS (per
 * closed-loop step, default 10), BENCH_STREAMS (parallel batch requests, default 2), BENCH_PROFILE
 * (comma-separated roles — gateway, register, echo — to run under `--cpu-prof`, profiles written to
 * bench/profiles/), BENCH_KEEP_DATABASES=1 (leave both databases for inspection).
 * After the end-to-end phase the run's audit log is exported over the admin API and verified offline (entries/s).
 * Prints one table and writes bench/results.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { ensureDevCrl, ensureDevPki, loadPartnersFile } from '@ketenpoort/pki';
import { verifyAuditExport } from '@ketenpoort/audit';
import { exportWhenCosigned } from '../apps/cli/src/audit/audit-export.js';
import { ensureDevKeys } from '../apps/cli/src/stack/stack-keys.js';
import { issueDevToken } from '../apps/cli/src/token/token.command.js';
import { distinctSignal } from './distinct-signals.js';
import { closedLoop, openLoop, type Credentials, type LoadResult } from './load.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BULK = Number(process.env.BENCH_BULK ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2);
/** The end-to-end wait gives up after this long and reports how far the register got. */
const E2E_TIMEOUT_S = Number(process.env.BENCH_E2E_TIMEOUT_S ?? 900);
const PARTNER = 'politie-oost-brabant';
const CONFIG_DIR = resolve(process.env.KETENPOORT_CONFIG_DIR ?? 'config');

interface Service {
  child: ChildProcess;
  urls: Record<string, string>;
}

function startService(role: string, env: Record<string, string>): Promise<Service> {
  return new Promise((resolvePromise, reject) => {
    const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(role);
    const child = fork(join(HERE, 'bench-service.js'), [role], {
      env: { ...process.env, ...env },
      execArgv: profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve('bench/profiles')}`] : [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolvePromise({ child, urls: m as Record<string, string> }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

function stop(service?: Service): Promise<void> {
  if (!service || service.child.exitCode !== null) return Promise.resolve();
  return new Promise((r) => {
    service.child.once('exit', () => r());
    service.child.kill('SIGTERM');
    setTimeout(() => service.child.kill('SIGKILL'), 5000).unref();
  });
}

/** Peak resident set size of a process (VmHWM), in MiB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * `audit export` of the run's log over the admin API (after a cosigned checkpoint covers it, or 120 s),
 * then `audit verify` of the export, timed apart.
 */
async function exportAndVerify(adminUrl: string, dataDir: string, ca: string, entries: number) {
  const token = await issueDevToken(dataDir, { role: 'auditor', sub: 'bench' });
  const dir = join(dataDir, 'audit-export');
  let t = performance.now();
  await exportWhenCosigned({ adminUrl, token, ca }, dir, entries, 120_000);
  const exportSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const report = await verifyAuditExport(dir);
  return { ok: report.ok, size: report.size, exportSeconds, verifySeconds: (performance.now() - t) / 1000 };
}

function dbUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Raw limits, in this process: HMAC-SHA-256 ops/s, EdDSA JWS/s, multi-row insert rows/s. */
async function rawLimits(databaseUrl: string) {
  const key = randomBytes(32);
  let n = 0;
  let t = performance.now();
  while (performance.now() - t < 1000) {
    for (let i = 0; i < 1000; i++) createHmac('sha256', key).update(`anna maria kowalska ${n++}`).digest();
  }
  const hmac = n / ((performance.now() - t) / 1000);
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  n = 0;
  t = performance.now();
  while (performance.now() - t < 1000) {
    await new SignJWT({ recordId: randomUUID(), payloadDigest: `sha256:${'a'.repeat(64)}` })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuedAt()
      .sign(privateKey);
    n++;
  }
  const jws = n / ((performance.now() - t) / 1000);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    'CREATE TABLE bench_rows (id uuid PRIMARY KEY, a text, b text, payload jsonb, at timestamptz)',
  );
  const payload = JSON.stringify(distinctSignal(1, 'raw'));
  const rowsPerInsert = 400;
  n = 0;
  t = performance.now();
  while (performance.now() - t < 3000) {
    const ids = Array.from({ length: rowsPerInsert }, () => randomUUID());
    await client.query(
      `INSERT INTO bench_rows SELECT i, 'politie-oost-brabant', 'sha256:abc', p::jsonb, now()
         FROM unnest($1::uuid[], $2::text[]) AS t(i, p)`,
      [ids, ids.map(() => payload)],
    );
    n += rowsPerInsert;
  }
  const rows = n / ((performance.now() - t) / 1000);
  await client.query('DROP TABLE bench_rows');
  await client.end();
  return { hmac, jws, rows, rowBytes: payload.length };
}

/** Streams `count` distinct signals through one batch request; resolves with accepted lines. */
function bulkStream(target: string, credentials: Credentials, from: number, count: number, seed: string) {
  return new Promise<{ accepted: number; refused: number; codes: Record<string, number> }>(
    (resolvePromise, reject) => {
      let accepted = 0;
      let refused = 0;
      const codes: Record<string, number> = {};
      const req = request(
        new URL('/v1/signals/batch', target),
        { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, ...credentials },
        (res) => {
          let rest = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            const parts = (rest + text).split('\n');
            rest = parts.pop() ?? '';
            for (const part of parts) {
              if (part.includes('"status":"accepted"')) accepted++;
              else if (part.includes('"status":"refused"')) {
                refused++;
                const code = /"code":"([^"]+)"/.exec(part)?.[1] ?? '?';
                codes[code] = (codes[code] ?? 0) + 1;
              }
            }
          });
          res.on('end', () => resolvePromise({ accepted, refused, codes }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      let i = 0;
      const pump = () => {
        while (i < count) {
          const chunk: string[] = [];
          for (let k = 0; k < 200 && i < count; k++, i++)
            chunk.push(JSON.stringify(distinctSignal(from + i, seed)));
          if (!req.write(`${chunk.join('\n')}\n`)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    },
  );
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

async function main(): Promise<void> {
  const runId = randomUUID().slice(0, 8);
  const gatewayDb = `kp_bench_gw_${runId}`;
  const registerDb = `kp_bench_reg_${runId}`;
  await query(PG_URL, `CREATE DATABASE ${gatewayDb}`);
  await query(PG_URL, `CREATE DATABASE ${registerDb}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'kp-bench-'));
  const services: Service[] = [];
  try {
    ensureDevPki(dataDir, loadPartnersFile(join(CONFIG_DIR, 'partners.yaml')).partners);
    ensureDevCrl(dataDir);
    await ensureDevKeys(dataDir);
    const credentials: Credentials = {
      ca: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'),
      cert: readFileSync(join(dataDir, 'pki', 'partners', `${PARTNER}.crt`), 'utf8'),
      key: readFileSync(join(dataDir, 'pki', 'partners', `${PARTNER}.key`), 'utf8'),
    };
    const common = {
      KETENPOORT_MODE: 'dev',
      KETENPOORT_DATA_DIR: dataDir,
      KETENPOORT_CONFIG_DIR: CONFIG_DIR,
      KETENPOORT_HOST: '127.0.0.1',
    };
    console.error('raw limits …');
    const raw = await rawLimits(dbUrl(gatewayDb));

    const echo = await startService('echo', common);
    services.push(echo);
    const register = await startService('register', {
      ...common,
      DATABASE_URL: dbUrl(registerDb),
      KETENPOORT_INTAKE_PORT: '0',
      KETENPOORT_API_PORT: '0',
    });
    services.push(register);
    const gateway = await startService('gateway', {
      ...common,
      DATABASE_URL: dbUrl(gatewayDb),
      KETENPOORT_PARTNER_PORT: '0',
      KETENPOORT_ADMIN_PORT: '0',
      KETENPOORT_REGISTER_INTAKE_URL: register.urls.intakeUrl,
    });
    services.push(gateway);

    let n = 0;
    const seed = `s${runId}`;
    const nextBody = () => JSON.stringify(distinctSignal(n++, seed));
    const single: Array<{ connections: number; gateway: LoadResult; echo: LoadResult }> = [];
    for (const connections of [1, 16, 64]) {
      console.error(`closed loop, ${connections} connections …`);
      const e = await closedLoop(echo.urls.partnerUrl, credentials, connections, SECONDS, nextBody);
      const g = await closedLoop(gateway.urls.partnerUrl, credentials, connections, SECONDS, nextBody);
      single.push({ connections, gateway: g, echo: e });
    }
    const max = Math.max(...single.map((s) => s.gateway.perSecond));
    console.error(`open loop at ${fmt(max / 2)}/s …`);
    const open = await openLoop(gateway.urls.partnerUrl, credentials, max / 2, SECONDS, nextBody);

    // Let the outbox drain the single-signal phase before the bulk phase is timed.
    const pendingNow = async () =>
      Number(
        (
          await query<{ n: string }>(
            dbUrl(gatewayDb),
            `SELECT count(*) AS n FROM outbox WHERE state = 'pending'`,
          )
        )[0].n,
      );
    while ((await pendingNow()) > 0) await new Promise((r) => setTimeout(r, 500));
    const registerBefore = Number(
      (await query<{ n: string }>(dbUrl(registerDb), 'SELECT count(*) AS n FROM register_record'))[0].n,
    );
    const auditBefore = Number(
      (await query<{ n: string }>(dbUrl(gatewayDb), 'SELECT count(*) AS n FROM audit_entry'))[0].n,
    );

    console.error(`bulk: ${fmt(BULK)} signals in ${STREAMS} streams …`);
    const lag: Array<{ pending: number; oldestSeconds: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await query<{ n: string; age: number | null }>(
          dbUrl(gatewayDb),
          `SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM outbox WHERE state = 'pending'`,
        );
        lag.push({ pending: Number(row.n), oldestSeconds: row.age ?? 0 });
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    const t0 = performance.now();
    const per = Math.ceil(BULK / STREAMS);
    const streams = await Promise.all(
      Array.from({ length: STREAMS }, (_, s) =>
        bulkStream(
          gateway.urls.partnerUrl,
          credentials,
          10_000_000 + s * per,
          Math.min(per, BULK - s * per),
          seed,
        ),
      ),
    );
    const ackSeconds = (performance.now() - t0) / 1000;
    const accepted = streams.reduce((a, s) => a + s.accepted, 0);
    const refusedCodes = streams.reduce<Record<string, number>>((acc, s) => {
      for (const [k, v] of Object.entries(s.codes)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    const gatewayRss = peakRssMb(gateway.child.pid!);
    console.error('waiting for the register …');
    // Wait on the gateway's outbox (a cheap existence probe: a row is settled only after the register's
    // receipt, i.e. stored and linked), then count at the register once. Polling count(*) on the register
    // every 500 ms cost the database 90 ms a time at 20,000 records: the bench slowed what it measured.
    const registerCount = async () =>
      Number(
        (await query<{ n: string }>(dbUrl(registerDb), 'SELECT count(*) AS n FROM register_record'))[0].n,
      ) - registerBefore;
    let stored = 0;
    for (;;) {
      const [{ pending }] = await query<{ pending: boolean }>(
        dbUrl(gatewayDb),
        `SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending') AS pending`,
      );
      if (!pending || (performance.now() - t0) / 1000 > E2E_TIMEOUT_S) {
        stored = await registerCount();
        if (stored >= accepted || (performance.now() - t0) / 1000 > E2E_TIMEOUT_S) break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const e2eSeconds = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    const auditAfter = Number(
      (await query<{ n: string }>(dbUrl(gatewayDb), 'SELECT count(*) AS n FROM audit_entry'))[0].n,
    );
    const registerRss = peakRssMb(register.child.pid!);
    const verify = await exportAndVerify(gateway.urls.adminUrl, dataDir, credentials.ca, auditAfter);
    const maxLag = lag.reduce((m, l) => (l.pending > m.pending ? l : m), { pending: 0, oldestSeconds: 0 });
    const maxAge = Math.max(0, ...lag.map((l) => l.oldestSeconds));

    const lines: string[] = [];
    const row = (...cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
    lines.push(`# Benchmark results`, '');
    lines.push(
      `Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ` +
        `PostgreSQL at ${new URL(PG_URL).host} (fresh databases), load generator in the same machine. ` +
        `Load average at the end ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')} (other work on the machine skews every figure). ` +
        `Closed-loop steps ${SECONDS} s each; bulk ${fmt(BULK)} distinct persons in ${STREAMS} parallel batch requests.`,
      '',
    );
    row('measure', 'value', 'notes');
    row('---', '---', '---');
    for (const s of single) {
      row(
        `single signals, ${s.connections} conn (gateway)`,
        `${fmt(s.gateway.perSecond)}/s, p50 ${fmt(s.gateway.p50, 1)} ms, p99 ${fmt(s.gateway.p99, 1)} ms`,
        `errors ${s.gateway.errors}`,
      );
      row(
        `echo endpoint, ${s.connections} conn`,
        `${fmt(s.echo.perSecond)}/s, p50 ${fmt(s.echo.p50, 1)} ms, p99 ${fmt(s.echo.p99, 1)} ms`,
        `ratio gateway/echo **${fmt(s.gateway.perSecond / s.echo.perSecond, 2)}**`,
      );
    }
    row(
      `open loop at ${fmt(max / 2)}/s (half max)`,
      `p50 ${fmt(open.p50, 1)} ms, p99 ${fmt(open.p99, 1)} ms`,
      `${open.requests} requests, errors ${open.errors}`,
    );
    row(
      'bulk: acknowledged',
      `${fmt(accepted / ackSeconds)}/s`,
      `${fmt(accepted)} accepted in ${fmt(ackSeconds, 1)} s; refused ${JSON.stringify(refusedCodes)}`,
    );
    row(
      'bulk: gateway peak RSS',
      `${fmt(gatewayRss)} MiB`,
      `register process peak RSS ${fmt(registerRss)} MiB`,
    );
    row(
      'end to end: stored and linked at the register',
      `${fmt(stored / e2eSeconds)}/s`,
      `${fmt(stored)} of ${fmt(accepted)} records${stored < accepted ? ' (gave up waiting)' : ''}, ${fmt(e2eSeconds, 1)} s from the first bulk byte`,
    );
    row('outbox lag (max during bulk)', `${fmt(maxLag.pending)} rows`, `oldest pending ${fmt(maxAge, 1)} s`);
    row(
      'audit appends',
      `${fmt((auditAfter - auditBefore) / e2eSeconds)}/s`,
      `${fmt(auditAfter - auditBefore)} entries (received, forwarded, delivered)`,
    );
    row(
      'audit verify (offline, the whole log)',
      `${fmt(verify.size / verify.verifySeconds)} entries/s`,
      `${verify.ok ? 'OK' : 'FAILED'}: ${fmt(verify.size)} entries in ${fmt(verify.verifySeconds, 1)} s; ` +
        `export over the admin API (with the wait for a cosigned checkpoint) ${fmt(verify.exportSeconds, 1)} s`,
    );
    row('raw: HMAC-SHA-256', `${fmt(raw.hmac)}/s`, 'one core, node:crypto');
    row('raw: JWS EdDSA sign', `${fmt(raw.jws)}/s`, 'one core, jose compact JWS');
    row(
      'raw: PostgreSQL multi-row insert',
      `${fmt(raw.rows)} rows/s`,
      `400-row unnest inserts, ${raw.rowBytes}-byte jsonb rows`,
    );
    const table = lines.join('\n');
    console.log(table);
    writeFileSync(resolve('bench', 'results.md'), `${table}\n`);
  } finally {
    await Promise.all(services.map(stop));
    if (process.env.BENCH_KEEP_DATABASES === '1') {
      console.error(`kept databases ${gatewayDb} and ${registerDb}`);
    } else {
      await query(PG_URL, `DROP DATABASE IF EXISTS ${gatewayDb} WITH (FORCE)`).catch(() => undefined);
      await query(PG_URL, `DROP DATABASE IF EXISTS ${registerDb} WITH (FORCE)`).catch(() => undefined);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
