import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { devPkiPaths, ensureDevPki, issueCertificate, loadPartnersFile, readDevCa } from '@ketenpoort/pki';
import { ensureDevKeys, keyPaths } from '../stack/stack-keys.js';
import { formatFindings } from './doctor-check.js';
import { runDoctor } from './doctor.js';

const CONFIG_DIR = resolve('config');

describe(runDoctor.name, () => {
  let template: string;
  const dirs: string[] = [];

  /** A copy of a freshly created dev data folder, to break one thing in. */
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-doctor-'));
    dirs.push(dir);
    cpSync(template, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    template = mkdtempSync(join(tmpdir(), 'kp-doctor-template-'));
    ensureDevPki(template, loadPartnersFile(join(CONFIG_DIR, 'partners.yaml')).partners);
    await ensureDevKeys(template);
  }, 60_000);

  afterAll(() => {
    for (const dir of [template, ...dirs]) rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing to fail in a fresh dev data folder', async () => {
    const sut = await runDoctor({ dataDir: dataDir(), configDir: CONFIG_DIR });
    expect(sut.filter((f) => f.status === 'FAIL')).toEqual([]);
  });

  it('checks every certificate, key file, the key ring and the policy', async () => {
    const sut = await runDoctor({ dataDir: dataDir(), configDir: CONFIG_DIR });
    const subjects = new Set(sut.map((f) => f.subject));
    for (const subject of [
      'CA',
      'gateway server',
      'register server',
      'gateway client (forwarding)',
      'gateway server key',
      'gateway-signing key',
      'pseudonymisation key ring',
      'policy register.yaml',
    ]) {
      expect(subjects).toContain(subject);
    }
  });

  it('prints the key-ring fingerprint and never the key', async () => {
    const dir = dataDir();
    const sut = formatFindings(await runDoctor({ dataDir: dir, configDir: CONFIG_DIR }));
    expect(sut).toMatch(/fingerprints v1=[0-9a-f]{16}/);
  });

  it('fails a key file others can read, with chmod as the fix', async () => {
    const dir = dataDir();
    const path = devPkiPaths(dir, []).gatewayServer.key;
    chmodSync(path, 0o644);
    const sut = await runDoctor({ dataDir: dir, configDir: CONFIG_DIR });
    expect(sut).toContainEqual(
      expect.objectContaining({ status: 'FAIL', subject: 'gateway server key', fix: `chmod 600 ${path}` }),
    );
  });

  it('fails a signing key file others can read', async () => {
    const dir = dataDir();
    chmodSync(keyPaths(dir).privateJwk('register-signing'), 0o640);
    const sut = await runDoctor({ dataDir: dir, configDir: CONFIG_DIR });
    expect(sut).toContainEqual(expect.objectContaining({ status: 'FAIL', subject: 'register-signing key' }));
  });

  it('fails an expired server certificate and says to renew it', async () => {
    const dir = dataDir();
    const paths = devPkiPaths(dir, []);
    const expired = issueCertificate(readDevCa(dir), {
      kind: 'server',
      commonName: 'gateway',
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    writeFileSync(paths.gatewayServer.cert, expired.certPem);
    writeFileSync(paths.gatewayServer.key, expired.keyPem, { mode: 0o600 });
    const sut = await runDoctor({ dataDir: dir, configDir: CONFIG_DIR });
    expect(sut).toContainEqual(
      expect.objectContaining({
        status: 'FAIL',
        subject: 'gateway server',
        detail: expect.stringMatching(/^expired on /),
        fix: expect.stringContaining(`renew ${paths.gatewayServer.cert}`),
      }),
    );
  });

  it('warns about a certificate that expires within 30 days', async () => {
    const sut = await runDoctor({
      dataDir: dataDir(),
      configDir: CONFIG_DIR,
      now: new Date(Date.now() + 810 * 86_400_000),
    });
    expect(sut).toContainEqual(
      expect.objectContaining({
        status: 'WARN',
        subject: 'register server',
        detail: expect.stringMatching(/^expires in \d+ days/),
      }),
    );
  });

  it('fails a server certificate whose SAN lacks the configured host', async () => {
    const sut = await runDoctor({
      dataDir: dataDir(),
      configDir: CONFIG_DIR,
      serverHosts: ['gateway.example.nl'],
    });
    expect(sut).toContainEqual(
      expect.objectContaining({
        status: 'FAIL',
        subject: 'gateway server',
        detail: 'subjectAltName lacks gateway.example.nl',
      }),
    );
  });

  it('fails a certificate that is not signed by the CA', async () => {
    const dir = dataDir();
    const other = mkdtempSync(join(tmpdir(), 'kp-doctor-other-'));
    dirs.push(other);
    ensureDevPki(other, []);
    const paths = devPkiPaths(dir, []);
    cpSync(devPkiPaths(other, []).registerServer.cert, paths.registerServer.cert);
    cpSync(devPkiPaths(other, []).registerServer.key, paths.registerServer.key);
    const sut = await runDoctor({ dataDir: dir, configDir: CONFIG_DIR });
    expect(sut).toContainEqual(
      expect.objectContaining({
        status: 'FAIL',
        subject: 'register server',
        detail: 'is not signed by the configured CA',
      }),
    );
  });

  it('fails the dev CA in production mode', async () => {
    const sut = await runDoctor({ dataDir: dataDir(), configDir: CONFIG_DIR, production: true });
    expect(sut).toContainEqual(
      expect.objectContaining({ status: 'FAIL', subject: 'CA', detail: 'is the dev CA' }),
    );
  });

  it('fails a policy with an unknown field, naming the line', async () => {
    const config = mkdtempSync(join(tmpdir(), 'kp-doctor-config-'));
    dirs.push(config);
    cpSync(CONFIG_DIR, config, { recursive: true });
    writeFileSync(join(config, 'policies', 'register.yaml'), 'unknownTopLevel: 1\n', { flag: 'a' });
    const sut = await runDoctor({ dataDir: dataDir(), configDir: config });
    expect(sut).toContainEqual(
      expect.objectContaining({
        status: 'FAIL',
        subject: 'policy register.yaml',
        detail: expect.stringContaining('line'),
      }),
    );
  });

  it('fails an unreachable database, register and gateway', async () => {
    const sut = await runDoctor({
      dataDir: dataDir(),
      configDir: CONFIG_DIR,
      databaseUrls: { DATABASE_URL: 'postgres://kp:secret@127.0.0.1:1/none' },
      registerUrl: 'https://127.0.0.1:1',
      gatewayAdminUrls: ['https://127.0.0.1:1'],
      timeoutMs: 2_000,
    });
    const failed = sut.filter((f) => f.status === 'FAIL').map((f) => f.area);
    expect(failed.sort()).toEqual(['database', 'gateway', 'register']);
    expect(formatFindings(sut)).not.toContain('secret');
  });
});
