import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import pg from 'pg';
import { devPkiPaths, loadPartnersFile, readTrustedCaCertificates, type PartnersFile } from '@ketenpoort/pki';
import { lintPolicyText } from '@ketenpoort/policy';
import { keyPaths } from '../stack/stack-keys.js';
import { checkCertificate, type CertificateToCheck } from './certificate.checks.js';
import { fail, ok, type DoctorFinding } from './doctor-check.js';
import { checkKeyRing, checkPemKey, checkPrivateJwk } from './key.checks.js';

export interface DoctorOptions {
  dataDir: string;
  configDir: string;
  /** Treat the dev CA as a failure (it is refused outside dev mode). */
  production?: boolean;
  /** Admin URLs of running gateway instances: readiness and key-ring fingerprints are compared. */
  gatewayAdminUrls?: string[];
  /** API URL of the register: its readiness is checked. */
  registerUrl?: string;
  /** PostgreSQL URLs to connect to (DATABASE_URL, REGISTER_DATABASE_URL). */
  databaseUrls?: Record<string, string>;
  /** Host names the server certificates must cover; default localhost and 127.0.0.1. */
  serverHosts?: string[];
  now?: Date;
  timeoutMs?: number;
}

/**
 * Checks a deployment and says what to fix: certificates (validity, expiry within 30 days, SAN, chain),
 * private key files (owner-only, parse), key-ring fingerprints (also against running instances), the
 * partner table and policies, the databases and the register. Never prints a key or a personal value.
 *
 * @example
 * const findings = await runDoctor({ dataDir: '.data', configDir: 'config' });
 * if (findings.some((f) => f.status === 'FAIL')) process.exitCode = 1;
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorFinding[]> {
  const now = options.now ?? new Date();
  const findings: DoctorFinding[] = [];
  const partners = checkPartners(options, findings);
  const pki = devPkiPaths(options.dataDir, partners?.partners ?? []);
  const caPem = existsSync(pki.caCert) ? readFileSync(pki.caCert, 'utf8') : null;
  const issuers = caPem ? [caPem] : [];
  const hosts = options.serverHosts ?? ['localhost', '127.0.0.1'];
  const production = options.production ?? false;

  const certificates: CertificateToCheck[] = [
    { label: 'CA', certPath: pki.caCert },
    {
      label: 'gateway server',
      certPath: pki.gatewayServer.cert,
      keyPath: pki.gatewayServer.key,
      issuers,
      hosts,
    },
    {
      label: 'register server',
      certPath: pki.registerServer.cert,
      keyPath: pki.registerServer.key,
      issuers,
      hosts,
    },
    {
      label: 'gateway client (forwarding)',
      certPath: pki.gatewayClient.cert,
      keyPath: pki.gatewayClient.key,
      issuers,
    },
  ];
  const partnerCas = partners ? safeCas(partners, options.dataDir) : issuers;
  for (const [id, paths] of Object.entries(pki.partners)) {
    certificates.push({ label: `partner ${id}`, certPath: paths.cert, issuers: partnerCas, optional: true });
  }
  for (const cert of certificates) findings.push(...checkCertificate(cert, now, production));

  for (const [label, path] of [
    ['gateway server key', pki.gatewayServer.key],
    ['register server key', pki.registerServer.key],
    ['gateway client key', pki.gatewayClient.key],
  ]) {
    findings.push(checkPemKey(path, label));
  }
  const keys = keyPaths(options.dataDir);
  for (const name of ['gateway-signing', 'register-signing']) {
    findings.push(checkPrivateJwk(keys.privateJwk(name), `${name} key`));
  }
  if (existsSync(keys.privateJwk('dev-issuer'))) {
    findings.push(checkPrivateJwk(keys.privateJwk('dev-issuer'), 'dev-issuer key'));
  }
  const { finding, ring } = checkKeyRing(keys.keyRing);
  findings.push(finding);
  const localFingerprint = ring ? ring.fingerprint(ring.currentVersion) : null;

  const timeoutMs = options.timeoutMs ?? 5_000;
  for (const [name, url] of Object.entries(options.databaseUrls ?? {})) {
    findings.push(await checkDatabase(name, url, timeoutMs));
  }
  const seen = new Map<string, string>();
  for (const url of options.gatewayAdminUrls ?? []) {
    findings.push(...(await checkGateway(url, caPem, localFingerprint, seen, timeoutMs)));
  }
  if (new Set(seen.values()).size > 1) {
    findings.push(
      fail(
        'key-ring',
        'gateway instances',
        `instances use different key rings: ${[...seen].map(([u, f]) => `${u}=${f}`).join(', ')}`,
        'give every instance the same key ring file; tokens of different rings never link',
      ),
    );
  }
  if (options.registerUrl) findings.push(await checkRegister(options.registerUrl, caPem, timeoutMs));
  return findings;
}

function checkPartners(options: DoctorOptions, findings: DoctorFinding[]): PartnersFile | null {
  const path = join(options.configDir, 'partners.yaml');
  let partners: PartnersFile | null = null;
  try {
    partners = loadPartnersFile(path);
    findings.push(
      ok('config', 'partners.yaml', `${partners.partners.length} partners, ${partners.cas.length} CAs`),
    );
    const devCas = partners.cas.filter((ca) => ca.dev).map((ca) => ca.name);
    if (devCas.length && options.production) {
      findings.push(
        fail(
          'config',
          'partners.yaml',
          `dev CA configured: ${devCas.join(', ')}`,
          'configure the production CAs; dev CAs are refused outside dev mode',
        ),
      );
    }
  } catch (error) {
    findings.push(fail('config', 'partners.yaml', firstLines((error as Error).message), `correct ${path}`));
  }
  const policyDir = join(options.configDir, 'policies');
  const files = existsSync(policyDir) ? readdirSync(policyDir).filter((f) => /\.ya?ml$/.test(f)) : [];
  if (!files.length)
    findings.push(
      fail(
        'config',
        'policies',
        `no policy in ${policyDir}`,
        `add the policy file (register.yaml) to ${policyDir}`,
      ),
    );
  const lintPartners = partners?.partners.map((p) => ({
    id: p.id,
    reporterType: p.reporterType,
    purposes: p.purposes,
  }));
  for (const file of files) {
    const path = join(policyDir, file);
    try {
      const { policy, problems } = lintPolicyText(readFileSync(path, 'utf8'), path, {
        partners: lintPartners,
      });
      findings.push(
        problems.length
          ? fail(
              'config',
              `policy ${file}`,
              problems
                .slice(0, 5)
                .map((p) => `line ${p.line} ${p.path}: ${p.message}`)
                .join('; '),
              `correct ${path} (\`ketenpoort policy lint\` shows every problem)`,
            )
          : ok('config', `policy ${file}`, `lints clean, version ${policy?.version.slice(0, 12)}`),
      );
    } catch (error) {
      findings.push(
        fail('config', `policy ${file}`, firstLines((error as Error).message), `correct ${path}`),
      );
    }
  }
  return partners;
}

function safeCas(partners: PartnersFile, dataDir: string): string[] {
  try {
    return Object.values(readTrustedCaCertificates(partners.cas, dataDir));
  } catch {
    return [];
  }
}

async function checkDatabase(name: string, url: string, timeoutMs: number): Promise<DoctorFinding> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  const where = redactUrl(url);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return ok('database', name, `${where} answers`);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreachable';
    return fail(
      'database',
      name,
      `${where} does not answer (${code})`,
      `check that PostgreSQL runs and that ${name} (host, port, user, password) is right`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkGateway(
  url: string,
  caPem: string | null,
  localFingerprint: string | null,
  seen: Map<string, string>,
  timeoutMs: number,
): Promise<DoctorFinding[]> {
  const subject = `gateway ${url}`;
  let answer: { status: number; body: string };
  try {
    answer = await get(`${url.replace(/\/$/, '')}/health/ready`, caPem, timeoutMs);
  } catch (error) {
    return [
      fail(
        'gateway',
        subject,
        `unreachable (${(error as Error).message})`,
        'start the gateway, or check the admin URL and its certificate',
      ),
    ];
  }
  const body = parseJson(answer.body) as {
    details?: Record<string, { status?: string; fingerprint?: string; version?: string }>;
  } | null;
  const details = body?.details ?? {};
  const findings: DoctorFinding[] = [];
  const down = Object.entries(details)
    .filter(([, d]) => d.status !== 'up')
    .map(([name]) => name);
  findings.push(
    answer.status === 200
      ? ok('gateway', subject, `ready (policy ${details.policy?.version?.slice(0, 12) ?? '?'})`)
      : fail(
          'gateway',
          subject,
          `not ready (${answer.status}; down: ${down.join(', ') || 'unknown'})`,
          'see the gateway log and GET /health/ready for the failing check',
        ),
  );
  const remote = details.keyRing?.fingerprint;
  if (remote) {
    seen.set(url, remote);
    if (localFingerprint && remote !== localFingerprint) {
      findings.push(
        fail(
          'key-ring',
          subject,
          `runs key ring ${remote}, this data folder has ${localFingerprint}`,
          'deploy the same key ring file to every instance and restart',
        ),
      );
    } else if (localFingerprint) {
      findings.push(ok('key-ring', subject, `same key ring as this data folder (${remote})`));
    }
  }
  return findings;
}

async function checkRegister(url: string, caPem: string | null, timeoutMs: number): Promise<DoctorFinding> {
  const subject = `register ${url}`;
  try {
    const answer = await get(`${url.replace(/\/$/, '')}/health/ready`, caPem, timeoutMs);
    return answer.status === 200
      ? ok('register', subject, 'reachable and ready')
      : fail('register', subject, `answers ${answer.status}`, 'see the register log and GET /health/ready');
  } catch (error) {
    return fail(
      'register',
      subject,
      `unreachable (${(error as Error).message})`,
      'start the register, or check its URL, the network and its certificate',
    );
  }
}

function get(
  url: string,
  caPem: string | null,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: caPem ?? undefined, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    req.end();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}

function firstLines(message: string): string {
  return message.split('\n').slice(0, 4).join('; ');
}
