import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testDatabaseKinds } from '@ketenpoort/testing';
import { RetentionReportPuller } from '../../apps/gateway/src/lifecycle/retention/retention-report.puller.js';
import { aPersonSignal, LifecycleFixture } from './lifecycle-fixture.js';

/** The shipped config with `registration` kept one day (P1D) instead of ten years. */
function shortRetentionConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-retention-config-'));
  cpSync(resolve('config'), dir, { recursive: true });
  const path = join(dir, 'policies', 'register.yaml');
  const text = readFileSync(path, 'utf8');
  const changed = text.replace(/(- id: registration\n(?:.*\n)*?\s+retention:) P10Y/, '$1 P1D');
  if (changed === text) throw new Error('the registration retention was not found in the shipped policy');
  writeFileSync(path, changed);
  return dir;
}

describe.each(testDatabaseKinds())('retention at the register (%s)', (kind) => {
  const configDir = shortRetentionConfig();
  const f = new LifecycleFixture(kind, configDir);

  beforeAll(() => f.start(), 240_000);
  afterAll(async () => {
    await f.stop();
    rmSync(configDir, { recursive: true, force: true });
  }, 60_000);

  it('deletes records past retention, keeps other purposes, and the gateway audits the counts once', async () => {
    const expired = await f.deliver('politie-oost-brabant', aPersonSignal(2020).build());
    const placement = await f.deliver(
      'politie-oost-brabant',
      aPersonSignal(2020).withPurpose('shelter-placement').build(),
    );
    const recent = await f.deliver(
      'politie-oost-brabant',
      aPersonSignal(2020).withReportedAt(new Date().toISOString().slice(0, 10)).build(),
    );

    const deleted = await f.stack.register.runRetention();

    expect(deleted).toEqual([{ purpose: 'registration', count: 1 }]);
    expect(await f.registerHolds(expired)).toBe(false);
    expect(await f.registerHolds(placement)).toBe(true);
    expect(await f.registerHolds(recent)).toBe(true);
    const puller = f.stack.gateway.app.get(RetentionReportPuller);
    expect(await puller.pull()).toBe(1);
    expect(await puller.pull()).toBe(0);
    const entries = await f.auditEntries((e) => e.event === 'register.retention-deleted');
    expect(entries).toHaveLength(1);
    expect(entries[0].entry.lifecycle).toMatchObject({ deleted: [{ purpose: 'registration', count: 1 }] });
    expect(entries[0].entry.lifecycle?.registerJws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('deletes nothing and reports nothing when nothing is past retention', async () => {
    expect(await f.stack.register.runRetention()).toEqual([]);
    expect(await f.stack.gateway.app.get(RetentionReportPuller).pull()).toBe(0);
  });
});
