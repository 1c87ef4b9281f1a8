import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger } from '@nestjs/common';
import { importJWK, SignJWT } from 'jose';
import { JWS_TYPES, type RegisterRecord } from '@ketenpoort/signal-contract';
import { createTestDatabase, httpsRequest, testDatabaseKinds, type TestDatabase } from '@ketenpoort/testing';
import { startStack, REGISTER_ID, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { runStats } from '../../apps/cli/src/stats/stats.command.js';
import { aRecord, aToken } from './register-record.builder.js';

const quiet = () => new ConsoleLogger({ json: true, logLevels: ['error'] });

describe.each(testDatabaseKinds())('ketenpoort stats [%s]', (kind) => {
  let dataDir: string;
  let databases: TestDatabase[];
  let stack: RunningStack;

  /** Delivers a record to the register intake as the dev gateway does (its client certificate and key). */
  async function deliver(record: RegisterRecord) {
    const key = await importJWK(stack.keys.gatewaySigning, 'EdDSA');
    const jws = await new SignJWT({ record })
      .setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYPES.record, kid: stack.keys.gatewaySigning.kid })
      .setIssuer('ketenpoort-gateway')
      .setAudience(REGISTER_ID)
      .setIssuedAt()
      .setJti(record.recordId)
      .sign(key);
    const answer = await httpsRequest(`${stack.register.intakeUrl}/v1/records`, {
      method: 'POST',
      body: jws,
      headers: { 'content-type': 'application/jose' },
      ca: readFileSync(stack.pki.caCert, 'utf8'),
      cert: readFileSync(stack.pki.gatewayClient.cert, 'utf8'),
      key: readFileSync(stack.pki.gatewayClient.key, 'utf8'),
    });
    if (answer.status !== 201) throw new Error(`delivery failed: ${answer.status}`);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-stats-cli-'));
    databases = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: databases[0].url,
      registerDatabaseUrl: databases[1].url,
      gatewayLogger: quiet(),
      registerLogger: quiet(),
    });
    const persons = [
      ...Array.from({ length: 7 }, () => 'PL'),
      ...Array.from({ length: 6 }, () => 'NG'),
      ...Array.from({ length: 2 }, () => 'HU'),
    ];
    for (const [i, nationality] of persons.entries()) {
      await deliver(
        aRecord()
          .reportedAt('2020-06-01')
          .withSubject({ birthYear: 1990, sex: 'female', nationalities: [nationality] })
          .withTokens(aToken('nds', `cli-${i}`))
          .build(),
      );
    }
    // Two embedded databases and the whole dev stack: slow on a loaded machine.
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.all((databases ?? []).map((db) => db.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const options = () => ({
    year: 2020,
    rule: 'register' as const,
    registerUrl: stack.register.apiUrl,
    dataDir,
  });

  it('prints the total of a year as a table', async () => {
    const sut = await runStats({ ...options(), format: 'table' });
    expect(sut.split('\n')[0]).toMatch(/^persons \(register, 2020\)\s+15$/);
  });

  it('prints a breakdown with its suppressed cells', async () => {
    const sut = await runStats({ ...options(), breakdown: 'nationality', format: 'table' });
    expect(
      sut
        .split('\n')
        .slice(1, 5)
        .map((line) => line.trim().split(/\s+/)),
    ).toEqual([
      ['NG', 'suppressed'],
      ['PL', '7'],
      ['other', 'suppressed'],
      ['unknown', '0'],
    ]);
  });

  it('prints CSV from the register', async () => {
    const sut = await runStats({ ...options(), breakdown: 'nationality', format: 'csv' });
    expect(sut.split('\r\n')).toContain('2020,register,nationality,PL,7,published,true');
  });

  it('reports a refusal of the register by its status and code', async () => {
    await expect(runStats({ ...options(), year: 1800, format: 'json' })).rejects.toThrow(
      'the register answered 400 (REQUEST.INVALID)',
    );
  });
});
