import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  errorOnlyLoggers,
  createTestDatabase,
  httpsRequest,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { parsePrometheusText } from '../operations/prometheus-text.js';
import { StackClient } from '../support/stack-client.js';

const LIMITED = 'kmar';
const OTHER = 'politie-oost-brabant';
/** Slow enough that no token comes back while a test runs: only the burst decides. */
const LIMIT = { requestsPerSecond: 0.05, burst: 3 };
const RATE_LIMITED_METRIC = 'ketenpoort_gateway_partner_rate_limited_total';

interface PartnersVersion {
  version: string;
  status: string;
  content: string;
  diffAgainstActive: { cas: unknown[]; partners: { id: string; status: string; changes: string[] }[] } | null;
}

describe.each(testDatabaseKinds())('a partner rate limit from the governed partner table (%s)', (kind) => {
  let dataDir: string;
  let configDir: string;
  let databases: TestDatabase[];
  let stack: RunningStack;
  let client: StackClient;

  /** Statuses of `n` requests of a partner, one after another; the first 429's answer is kept. */
  const burstOf = async (partnerId: string, n: number) => {
    const statuses: number[] = [];
    let refusal: { retryAfter: unknown; body: unknown } | undefined;
    for (let i = 0; i < n; i++) {
      const answer = await client.partnerGet(partnerId, `/v1/signals/${randomUUID()}`);
      statuses.push(answer.status);
      if (answer.status === 429 && !refusal) {
        refusal = { retryAfter: answer.headers['retry-after'], body: answer.json() };
      }
    }
    return { statuses, refusal };
  };

  const rateLimitedSamples = async () =>
    parsePrometheusText(
      (await httpsRequest(`${stack.gateway.adminUrl}/metrics`, { ca: client.ca })).text,
    ).filter((s) => s.name === RATE_LIMITED_METRIC);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-rate-'));
    configDir = mkdtempSync(join(tmpdir(), 'kp-rate-config-'));
    cpSync(resolve('config'), configDir, { recursive: true });
    databases = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir,
      gatewayDatabaseUrl: databases[0].url,
      registerDatabaseUrl: databases[1].url,
      ...errorOnlyLoggers(),
      rateLimit: { requestsPerSecond: 1_000, burst: 1_000 },
    });
    client = new StackClient(stack, dataDir);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all((databases ?? []).map((db) => db.drop()));
    for (const dir of [dataDir, configDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('enforces a lower limit for one partner once a privacy officer approves it, without a restart', async () => {
    const auditor = await client.token('auditor', 'audrey');
    const list = (await client.admin('GET', '/v1/admin/partners', auditor)).json<
      { version: string; status: string }[]
    >();
    const active = (
      await client.admin(
        'GET',
        `/v1/admin/partners/${list.find((r) => r.status === 'active')!.version}`,
        auditor,
      )
    ).json<PartnersVersion>();
    const document = JSON.parse(active.content) as {
      partnersYaml: string;
      caCertificates: Record<string, string>;
    };
    expect(document.partnersYaml).not.toContain('rateLimit:\n');
    expect((await burstOf(LIMITED, 6)).statuses).toEqual([404, 404, 404, 404, 404, 404]);

    const partnersYaml = document.partnersYaml.replace(
      `  - id: ${LIMITED}\n`,
      `  - id: ${LIMITED}\n    rateLimit: { requestsPerSecond: ${LIMIT.requestsPerSecond}, burst: ${LIMIT.burst} }\n`,
    );
    expect(partnersYaml).not.toBe(document.partnersYaml);
    const proposal = await client.admin(
      'POST',
      '/v1/admin/partners',
      await client.token('integrator', 'ines'),
      {
        partnersYaml,
        caCertificates: document.caCertificates,
      },
    );
    expect(proposal.status).toBe(201);
    const { version } = proposal.json<{ version: string }>();

    const proposed = (
      await client.admin('GET', `/v1/admin/partners/${version}`, auditor)
    ).json<PartnersVersion>();
    expect(proposed.diffAgainstActive).toEqual({
      cas: [],
      partners: [
        { id: LIMITED, status: 'changed', changes: ['rateLimit: gateway default → 0.05/s, burst 3'] },
      ],
    });
    expect((await burstOf(LIMITED, 6)).statuses).toEqual([404, 404, 404, 404, 404, 404]);

    const approved = await client.admin(
      'POST',
      `/v1/admin/partners/${version}/approve`,
      await client.token('privacy-officer', 'olga'),
    );
    expect(approved.json()).toMatchObject({ status: 'active', approvedBy: 'olga', proposedBy: 'ines' });
    const status = (await client.admin('GET', '/v1/admin/status', auditor)).json<{
      enforced: { partners: string };
    }>();
    expect(status.enforced.partners).toBe(version);

    const limited = await burstOf(LIMITED, 6);
    expect(limited.statuses).toEqual([404, 404, 404, 429, 429, 429]);
    expect(Number(limited.refusal?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limited.refusal?.body).toEqual({
      error: 'PARTNER.RATE_LIMITED',
      message: 'too many requests; retry after the time in Retry-After',
    });
    expect((await burstOf(OTHER, 6)).statuses).toEqual([404, 404, 404, 404, 404, 404]);
  });

  it('counts the refusals by partner id only', async () => {
    const samples = await rateLimitedSamples();
    expect(samples.map((s) => s.labels)).toEqual([{ partner: LIMITED }]);
    expect(samples[0].value).toBe(3);
  });
});
