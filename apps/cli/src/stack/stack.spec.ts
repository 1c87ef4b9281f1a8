import { describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDevPki, loadPartnersFile } from '@ketenpoort/pki';
import { ensureDevKeys, keyPaths, loadStackKeys } from './stack-keys.js';
import { startStack } from './stack.js';

const CONFIG_DIR = resolve('config');
const UNREACHABLE_DB = 'postgres://nobody@127.0.0.1:1/none';

function withDataDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-stack-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe(startStack.name, () => {
  it('outside dev mode generates no keys: it refuses to start and leaves the data folder empty', () =>
    withDataDir(async (dir) => {
      await expect(
        startStack({
          mode: 'production',
          dataDir: dir,
          configDir: CONFIG_DIR,
          gatewayDatabaseUrl: UNREACHABLE_DB,
          registerDatabaseUrl: UNREACHABLE_DB,
        }),
      ).rejects.toThrow(/never generated/);
      expect(readdirSync(dir)).toEqual([]);
    }));

  it('outside dev mode refuses the dev CA', () =>
    withDataDir(async (dir) => {
      ensureDevPki(dir, loadPartnersFile(join(CONFIG_DIR, 'partners.yaml')).partners);
      await ensureDevKeys(dir);
      await expect(
        startStack({
          mode: 'production',
          dataDir: dir,
          configDir: CONFIG_DIR,
          gatewayDatabaseUrl: UNREACHABLE_DB,
          registerDatabaseUrl: UNREACHABLE_DB,
        }),
      ).rejects.toThrow(/dev CA configured outside dev mode/);
    }));

  it('outside dev mode needs database URLs (no embedded database)', () =>
    withDataDir(async (dir) => {
      await expect(startStack({ mode: 'production', dataDir: dir, configDir: CONFIG_DIR })).rejects.toThrow(
        /database URLs are required/,
      );
    }));
});

describe(loadStackKeys.name, () => {
  it('writes private keys owner-only and refuses a key file others can read', () =>
    withDataDir(async (dir) => {
      await ensureDevKeys(dir);
      const paths = keyPaths(dir);
      const signing = paths.privateJwk('gateway-signing');
      expect(statSync(signing).mode & 0o777).toBe(0o600);
      expect(statSync(paths.keyRing).mode & 0o777).toBe(0o600);
      expect(() => loadStackKeys(dir)).not.toThrow();
      chmodSync(signing, 0o644);
      expect(() => loadStackKeys(dir)).toThrow(/readable by others/);
    }));

  it('keeps existing keys on a second start', () =>
    withDataDir(async (dir) => {
      await ensureDevKeys(dir);
      const first = loadStackKeys(dir);
      await ensureDevKeys(dir);
      const second = loadStackKeys(dir);
      expect(second.gatewaySigning.kid).toBe(first.gatewaySigning.kid);
      expect(second.keyRing.fingerprint()).toBe(first.keyRing.fingerprint());
      expect(existsSync(keyPaths(dir).publicJwks('register-signing'))).toBe(true);
    }));
});
