import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import {
  PartnerDirectory,
  identityFromPem,
  loadPartnersFile,
  readTrustedCaCertificates,
  type PartnersFile,
} from '@ketenpoort/pki';
import { registerPkiCommands } from './pki.commands.js';

const PARTNERS_YAML = `cas:
  dev:
    file: pki/ca.crt
    dev: true
  pkio:
    file: /nonexistent/pkio.crt
partners:
  - id: kmar
    name: Koninklijke Marechaussee
    oin: '00000001003214345001'
    ca: dev
    reporterType: kmar
    purposes: [registration]
  - id: elsewhere
    name: Elsewhere
    oin: '00000001003214345009'
    ca: pkio
    reporterType: other
    purposes: [registration]
`;

let dataDir: string;
let partnersPath: string;
let partnersFile: PartnersFile;

async function run(...args: string[]): Promise<string> {
  const sut = new Command('ketenpoort').exitOverride();
  registerPkiCommands(sut);
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    lines.push(parts.join(' '));
  });
  try {
    await sut.parseAsync(['node', 'ketenpoort', ...args, '--data-dir', dataDir, '--partners', partnersPath]);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kp-cli-pki-'));
  dataDir = join(dir, 'data');
  partnersPath = join(dir, 'partners.yaml');
  writeFileSync(partnersPath, PARTNERS_YAML);
  partnersFile = loadPartnersFile(partnersPath);
  await run('pki', 'init');
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe(registerPkiCommands.name, () => {
  it('pki init creates the dev PKI for partners of dev CAs only', () => {
    expect(statSync(join(dataDir, 'pki', 'partners', 'kmar.crt')).isFile()).toBe(true);
    expect(() => statSync(join(dataDir, 'pki', 'partners', 'elsewhere.crt'))).toThrow();
  });

  it('pki init prints paths and no key material', async () => {
    const output = await run('pki', 'init');
    expect(output).toContain(join(dataDir, 'pki', 'ca.crt'));
    expect(output).not.toMatch(/BEGIN|PRIVATE KEY/);
  });

  it('pki issue writes a second certificate that resolves to the same partner', async () => {
    const output = await run('pki', 'issue', '--partner', 'kmar');
    expect(output).not.toMatch(/BEGIN|PRIVATE KEY/);
    const certPath = /certificate: (\S+\.crt)/.exec(output)?.[1] ?? '';
    const keyPath = /private key: (\S+\.key)/.exec(output)?.[1] ?? '';
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);

    const dev = readTrustedCaCertificates(
      partnersFile.cas.filter((ca) => ca.dev),
      dataDir,
    );
    const directory = new PartnerDirectory(
      partnersFile.partners.filter((p) => p.ca === 'dev'),
      dev,
    );
    const first = identityFromPem(
      readFileSync(join(dataDir, 'pki', 'partners', 'kmar.crt'), 'utf8'),
      dev.dev,
    );
    const second = identityFromPem(readFileSync(certPath, 'utf8'), dev.dev);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect([directory.resolve(first)?.id, directory.resolve(second)?.id]).toEqual(['kmar', 'kmar']);
  });

  it('pki issue --out writes to the given folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kp-cli-out-'));
    const output = await run('pki', 'issue', '--partner', 'kmar', '--out', out);
    expect(output).toContain(`certificate: ${out}/kmar.`);
  });

  it('pki issue refuses an unknown partner', async () => {
    await expect(run('pki', 'issue', '--partner', 'nobody')).rejects.toMatchObject({
      code: 'PKI.PARTNER_UNKNOWN',
    });
  });

  it('pki issue refuses a partner whose CA is not a dev CA', async () => {
    await expect(run('pki', 'issue', '--partner', 'elsewhere')).rejects.toMatchObject({
      code: 'PKI.NOT_DEV_CA',
    });
  });
});
