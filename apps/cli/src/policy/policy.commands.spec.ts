import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Command } from 'commander';
import { loadPolicyFile } from '@ketenpoort/policy';
import { generateKeyRingData, KeyRing, Pseudonymiser } from '@ketenpoort/pseudonymisation';
import { aSignal } from '@ketenpoort/testing';
import { registerPolicyCommands } from './policy.commands.js';

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const POLICY = root('config/policies/register.yaml');
const PARTNERS = root('config/partners.yaml');

let dir: string;
let signalPath: string;

async function run(...args: string[]): Promise<{ out: string; err: string; error: Error | null }> {
  const sut = new Command('ketenpoort').exitOverride();
  registerPolicyCommands(sut);
  const out: string[] = [];
  const err: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  let failure: Error | null = null;
  try {
    await sut.parseAsync(['node', 'ketenpoort', ...args]);
  } catch (caught) {
    failure = caught as Error;
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return { out: out.join('\n'), err: err.join('\n'), error: failure };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-cli-policy-'));
  signalPath = join(dir, 'signal.json');
  writeFileSync(signalPath, JSON.stringify(aSignal().build()));
});

describe(registerPolicyCommands.name, () => {
  describe('policy lint', () => {
    it('passes the shipped policy against the shipped partners', async () => {
      const sut = await run('policy', 'lint', POLICY, '--partners', PARTNERS);
      expect([sut.error, sut.out]).toEqual([null, expect.stringContaining('lints (version ')]);
    });

    it('fails with every problem named by file, line and path', async () => {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(
        bad,
        readFileSync(POLICY, 'utf8').replace('situation.narrative: drop', 'subject.phone: forward'),
      );
      const sut = await run('policy', 'lint', bad);
      expect(sut.error?.name).toBe('PolicyCommandError');
      expect(sut.err).toMatch(
        new RegExp(`^${bad}:\\d+ purposes\\[0]\\.fields\\.subject\\.phone: is a direct identifier`),
      );
    });
  });

  describe('policy version', () => {
    it('prints the content hash', async () => {
      expect((await run('policy', 'version', POLICY)).out).toBe(loadPolicyFile(POLICY).version);
    });
  });

  describe('policy diff', () => {
    it('names a field a change starts releasing', async () => {
      const candidate = join(dir, 'candidate.yaml');
      writeFileSync(
        candidate,
        readFileSync(POLICY, 'utf8').replace('situation.narrative: drop', 'situation.narrative: forward'),
      );
      const sut = await run('policy', 'diff', POLICY, candidate);
      expect(sut.out).toContain('    + situation.narrative forward → situation.narrative');
    });
  });

  describe('policy explain', () => {
    it('says it is a dry run and shows the rule of each field', async () => {
      const dataDir = join(dir, 'empty-data');
      const sut = await run(
        'policy',
        'explain',
        signalPath,
        '--partner',
        'kmar',
        '--purpose',
        'registration',
        '--policy',
        POLICY,
        '--partners',
        PARTNERS,
        '--data-dir',
        dataDir,
      );
      expect(sut.out).toMatch(
        /^DRY RUN — tokens below are computed with a dry-run key ring generated in memory/,
      );
      expect(sut.out).toContain(
        'subject.birthDate: generalised — pseudonymise, { generalise: birth-year }, { generalise: age-band }',
      );
      expect(sut.out).toMatch(/tokens\.linkage = \["v1\.dry-run\.[a-z]+\./);
    });

    it('never computes a token with the production key ring', async () => {
      const dataDir = join(dir, 'data');
      mkdirSync(join(dataDir, 'keys'), { recursive: true });
      const production = generateKeyRingData();
      writeFileSync(join(dataDir, 'keys', 'pseudonymisation.json'), JSON.stringify(production), {
        mode: 0o600,
      });
      writeFileSync(join(dataDir, 'keys', 'dry-run.json'), JSON.stringify(generateKeyRingData()), {
        mode: 0o600,
      });
      const sut = await run(
        'policy',
        'explain',
        signalPath,
        '--partner',
        'kmar',
        '--purpose',
        'registration',
        '--policy',
        POLICY,
        '--partners',
        PARTNERS,
        '--data-dir',
        dataDir,
        '--json',
      );
      const productionCase = new Pseudonymiser(KeyRing.fromData(production), 'register').caseToken(
        'POL-2020-001234',
      );
      expect(sut.out).toContain('"dryRun": true');
      expect(sut.out).toContain(join(dataDir, 'keys', 'dry-run.json'));
      expect(sut.out).not.toContain(productionCase.split('.').at(-1));
    });

    it('refuses a dry-run key ring that shares a key with the production ring', async () => {
      const dataDir = join(dir, 'shared');
      mkdirSync(join(dataDir, 'keys'), { recursive: true });
      const ring = JSON.stringify(generateKeyRingData());
      writeFileSync(join(dataDir, 'keys', 'pseudonymisation.json'), ring, { mode: 0o600 });
      writeFileSync(join(dataDir, 'keys', 'dry-run.json'), ring, { mode: 0o600 });
      const sut = await run(
        'policy',
        'explain',
        signalPath,
        '--partner',
        'kmar',
        '--purpose',
        'registration',
        '--policy',
        POLICY,
        '--partners',
        PARTNERS,
        '--data-dir',
        dataDir,
      );
      expect(sut.error?.message).toContain('shares a key with the production key ring');
    });

    it('reports a consent refusal for a care coordinator without consent', async () => {
      const noConsent = join(dir, 'no-consent.json');
      writeFileSync(noConsent, JSON.stringify(aSignal().withConsent({ status: 'refused' }).build()));
      const sut = await run(
        'policy',
        'explain',
        noConsent,
        '--partner',
        'zorgcoordinator-brabant',
        '--purpose',
        'registration',
        '--policy',
        POLICY,
        '--partners',
        PARTNERS,
        '--data-dir',
        join(dir, 'empty-data'),
      );
      expect(sut.out).toContain('outcome: REFUSED POLICY.CONSENT_REQUIRED (consent.status)');
    });
  });
});
