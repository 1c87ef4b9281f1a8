import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { readKeyRingFile } from '@ketenpoort/pseudonymisation';
import { aSignal, createTestDatabase, testDatabaseKinds, type TestDatabase } from '@ketenpoort/testing';
import { registerKeysCommands } from '../../apps/cli/src/keys/keys.command.js';
import { keyPaths } from '../../apps/cli/src/stack/stack-keys.js';
import { startStack, type RunningStack } from '../../apps/cli/src/stack/stack.js';
import { sql, StackClient } from '../support/stack-client.js';

const PARTNERS = ['politie-oost-brabant', 'zorgcoordinator-brabant'] as const;
// Fictional persons; no document, so only name-and-birth-date tokens (which carry the key version) can link.
const BEFORE_ONLY = { givenNames: 'Ngozi', familyName: 'Okafor', birthDate: '1996-03-14', sex: 'female' };
const ACROSS = { givenNames: 'Iryna', familyName: 'Bondarenko', birthDate: '1999-11-02', sex: 'female' };

/**
 * Key rotation through the running system: `ketenpoort keys rotate` between two runs of the same gateway and
 * register. A person reported only before the rotation and again only after it stays one person; so does a
 * person reported before, during (both versions issued) and after the old version is retired.
 */
describe.each(testDatabaseKinds())('key rotation through gateway and register (%s)', (kind) => {
  let dataDir: string;
  let stack: RunningStack | undefined;
  let gatewayDb: TestDatabase;
  let registerDb: TestDatabase;

  const start = async () => {
    stack = await startStack({
      mode: 'dev',
      dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: gatewayDb.url,
      registerDatabaseUrl: registerDb.url,
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
    });
  };
  const stop = async () => {
    await stack?.close();
    stack = undefined;
  };
  /** Runs `ketenpoort keys …` as the CLI does. */
  const keys = async (...args: string[]) => {
    const cli = new Command('ketenpoort').exitOverride();
    registerKeysCommands(cli);
    await cli.parseAsync(['node', 'ketenpoort', 'keys', ...args, '--data-dir', dataDir]);
  };

  /** Sends one signal about `subject` and waits until the register holds it; returns its record id. */
  const report = async (partner: (typeof PARTNERS)[number], subject: Record<string, string>) => {
    const client = new StackClient(stack!, dataDir);
    const signal = aSignal()
      .withSubject({ ...subject, nationalities: ['NG'] })
      .without('subject.documents')
      .build() as { signalId: string };
    expect((await client.send(partner, signal)).status).toBe(202);
    return (await client.waitDelivered(partner, signal.signalId, 30_000)).recordId;
  };
  const personsOf = async (recordIds: string[]) =>
    new Set(
      (
        await sql<{ person_id: string }>(
          registerDb.url,
          `SELECT person_id FROM register_person_record WHERE record_id = ANY($1::uuid[])`,
          [recordIds],
        )
      ).map((row) => row.person_id),
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-rotation-'));
    [gatewayDb, registerDb] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
  });

  afterAll(async () => {
    await stop();
    await Promise.all([gatewayDb?.drop(), registerDb?.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('keeps one person across a rotation and the retirement of the old version', async () => {
    await start();
    const beforeOnly = [await report(PARTNERS[0], BEFORE_ONLY)];
    const across = [await report(PARTNERS[0], ACROSS)];
    await stop();

    await keys('rotate');
    expect(readKeyRingFile(keyPaths(dataDir).keyRing)).toMatchObject({ current: 2 });
    await start();
    // Another partner writes the names its own way, years later.
    beforeOnly.push(
      await report(PARTNERS[1], { ...BEFORE_ONLY, givenNames: 'NGOZI', familyName: ' okafor ' }),
    );
    across.push(await report(PARTNERS[1], { ...ACROSS, familyName: 'BONDARENKO' }));
    await stop();

    await keys('retire', '1');
    expect(readKeyRingFile(keyPaths(dataDir).keyRing)).toMatchObject({ current: 2, retired: [1] });
    await start();
    across.push(await report(PARTNERS[0], ACROSS));

    expect((await personsOf(beforeOnly)).size).toBe(1);
    expect((await personsOf(across)).size).toBe(1);
    expect([...(await personsOf(beforeOnly))][0]).not.toBe([...(await personsOf(across))][0]);
    // The register never saw a key version's key, only tokens naming their version.
    const versions = await sql<{ v: string }>(
      registerDb.url,
      `SELECT DISTINCT split_part(value, '.', 1) AS v FROM register_record_token ORDER BY 1`,
    );
    expect(versions.map((r) => r.v)).toEqual(['v1', 'v2']);
  }, 300_000);
});
