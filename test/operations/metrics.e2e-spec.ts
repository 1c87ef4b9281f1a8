import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  aSignal,
  errorOnlyLoggers,
  createTestDatabase,
  findCanaries,
  eventually,
  httpsRequest,
  testDatabaseKinds,
  type TestDatabase,
} from '@ketenpoort/testing';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { StackClient } from '../support/stack-client.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';

const CONFIG_DIR = resolve('config');
const POLICE = 'politie-oost-brabant';

const CANARY = {
  given: 'Metriekkanarie',
  family: 'Telwaardekanarie',
  birthDate: '1986-02-27',
  document: 'MK4455667',
  phone: '+31 6 1122 3344',
  street: 'Kanariemeterstraat 9',
  officer: 'Agent Metriekvogel',
  caseRef: 'POL-METRIEK-777',
  inventedField: 'kanarieVeldnaam',
  inventedPurpose: 'kanarie-doel',
};

describe.each(testDatabaseKinds())('metrics (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack;
  let client: StackClient;
  let databases: TestDatabase[];
  let gatewayText: string;
  let registerText: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-metrics-'));
    databases = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: CONFIG_DIR,
      gatewayDatabaseUrl: databases[0].url,
      registerDatabaseUrl: databases[1].url,
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
      ...errorOnlyLoggers(),
    });
    client = new StackClient(stack, dataDir);
    const signals = [0, 1].map((i) =>
      aSignal()
        .withSubject({
          givenNames: `${CANARY.given}${i}`,
          familyName: CANARY.family,
          birthDate: CANARY.birthDate,
          documents: [{ type: 'passport', country: 'PL', number: CANARY.document }],
          phone: CANARY.phone,
          address: { street: CANARY.street, postcode: '5211 AB', municipality: 'GM0796' },
        })
        .withCase({
          reference: CANARY.caseRef,
          officer: { name: CANARY.officer, email: 'kanarie@politie.example' },
        })
        .build(),
    );
    for (const signal of signals) expect((await client.send(POLICE, signal)).status).toBe(202);
    for (const signal of signals) await client.waitDelivered(POLICE, signal.signalId as string);
    const invented = { ...aSignal().build(), [CANARY.inventedField]: CANARY.given };
    expect((await client.send(POLICE, invented)).status).toBe(400);
    const wrongPurpose = aSignal().build();
    wrongPurpose.purpose = CANARY.inventedPurpose;
    expect((await client.send(POLICE, wrongPurpose)).status).toBeGreaterThanOrEqual(400);

    // The audit checkpoint is signed at most every second: scrape once one exists, so its age is defined.
    const auditor = await client.token('auditor', 'metrics-test');
    await eventually(async () => {
      const latest = await client.admin('GET', '/v1/admin/audit/checkpoints/latest', auditor);
      return latest.status === 200 ? true : undefined;
    }, 30_000);
    const gateway = await httpsRequest(`${stack.gateway.adminUrl}/metrics`, { ca: client.ca });
    expect(gateway.status).toBe(200);
    expect(String(gateway.headers['content-type'])).toMatch(/^text\/plain/);
    gatewayText = gateway.text;
    const register = await httpsRequest(`${stack.register.apiUrl}/metrics`, { ca: client.ca });
    expect(register.status).toBe(200);
    registerText = register.text;
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all((databases ?? []).map((db) => db.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('counts accepted signals by partner, purpose and outcome', () => {
    const samples = parsePrometheusText(gatewayText);
    expect(
      sampleValue(samples, 'ketenpoort_gateway_signals_total', {
        partner: POLICE,
        purpose: 'registration',
        outcome: 'accepted',
      }),
    ).toBe(2);
  });

  it('counts invalid signals and the invented field names by number only', () => {
    const samples = parsePrometheusText(gatewayText);
    expect(sampleValue(samples, 'ketenpoort_gateway_signals_invalid_total')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'ketenpoort_gateway_unknown_fields_total')).toBe(1);
  });

  it('counts deliveries and reports an empty outbox', () => {
    const samples = parsePrometheusText(gatewayText);
    expect(sampleValue(samples, 'ketenpoort_gateway_deliveries_total', { outcome: 'delivered' })).toBe(2);
    expect(sampleValue(samples, 'ketenpoort_gateway_outbox_pending')).toBe(0);
    expect(sampleValue(samples, 'ketenpoort_gateway_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(sampleValue(samples, 'ketenpoort_gateway_outbox_dead_letters')).toBe(0);
  });

  it('reports the audit size and the age of its newest entry', () => {
    const samples = parsePrometheusText(gatewayText);
    expect(sampleValue(samples, 'ketenpoort_gateway_audit_entries')).toBeGreaterThanOrEqual(4);
    expect(sampleValue(samples, 'ketenpoort_gateway_audit_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('times intake requests by route pattern', () => {
    const samples = parsePrometheusText(gatewayText);
    expect(
      sampleValue(samples, 'ketenpoort_gateway_intake_request_duration_seconds_count', {
        route: '/v1/signals',
        method: 'POST',
        status: '202',
      }),
    ).toBe(2);
    expect(
      samples.some(
        (s) =>
          s.name.startsWith('ketenpoort_gateway_intake_request_duration') &&
          /[0-9a-f]{8}-/.test(s.labels.route ?? ''),
      ),
    ).toBe(false);
  });

  it('reports the expiry of the server certificate and of the partner CA', () => {
    const samples = parsePrometheusText(gatewayText);
    const server = sampleValue(samples, 'ketenpoort_gateway_certificate_expiry_seconds', { kind: 'server' });
    expect(server).toBeGreaterThan(30 * 86_400);
    expect(
      samples.filter(
        (s) => s.name === 'ketenpoort_gateway_certificate_expiry_seconds' && s.labels.kind === 'partner-ca',
      ).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts stored deliveries, records and persons at the register', () => {
    const samples = parsePrometheusText(registerText);
    expect(sampleValue(samples, 'ketenpoort_register_deliveries_total', { outcome: 'stored' })).toBe(2);
    expect(sampleValue(samples, 'ketenpoort_register_records')).toBe(2);
    expect(sampleValue(samples, 'ketenpoort_register_persons')).toBeGreaterThanOrEqual(1);
  });

  it('holds no personal data and no invented name or purpose in either scrape', () => {
    const needles = [...Object.values(CANARY), CANARY.birthDate.replace(/-/g, ''), 'MK 445', 'Kanarie'];
    expect(findCanaries(`${gatewayText}\n${registerText}`, needles)).toEqual([]);
  });

  it('answers /metrics on the admin listener only', async () => {
    const answer = await client.partnerGet(POLICE, '/metrics');
    expect(answer.status).toBe(404);
  });
});
