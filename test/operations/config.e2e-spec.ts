import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  devPkiPaths,
  ensureDevPki,
  issueCertificate,
  loadPartnersFile,
  readDevCa,
  type PemPair,
} from '@ketenpoort/pki';
import {
  gatewayConfigFromEnvironment,
  registerConfigFromEnvironment,
} from '../../apps/cli/src/serve/serve.config.js';
import { ensureDevKeys, keyPaths } from '../../apps/cli/src/stack/stack-keys.js';
import { startStack } from '../../apps/cli/src/stack/stack.js';

const CONFIG_DIR = resolve('config');
const UNREACHABLE_DB = 'postgres://nobody@127.0.0.1:1/none';
const DAY = 86_400_000;

describe('configuration refusals', () => {
  let template: string;
  const dirs: string[] = [];

  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  /** A copy of a dev data folder (dev CA, dev keys) to break one thing in. */
  const dataDir = () => {
    const dir = tempDir('kp-config-');
    cpSync(template, dir, { recursive: true });
    return dir;
  };

  const env = (dir: string, extra: Record<string, string> = {}) => ({
    KETENPOORT_MODE: 'dev',
    KETENPOORT_DATA_DIR: dir,
    KETENPOORT_CONFIG_DIR: CONFIG_DIR,
    DATABASE_URL: UNREACHABLE_DB,
    KETENPOORT_REGISTER_INTAKE_URL: 'https://127.0.0.1:9443',
    ...extra,
  });

  const replaceServerCertificate = (dir: string, ca: PemPair, notBefore: Date, notAfter: Date) => {
    const paths = devPkiPaths(dir, []).gatewayServer;
    const cert = issueCertificate(ca, { kind: 'server', commonName: 'gateway', notBefore, notAfter });
    writeFileSync(paths.cert, cert.certPem);
    writeFileSync(paths.key, cert.keyPem, { mode: 0o600 });
  };

  beforeAll(async () => {
    template = tempDir('kp-config-template-');
    ensureDevPki(template, loadPartnersFile(join(CONFIG_DIR, 'partners.yaml')).partners);
    await ensureDevKeys(template);
  }, 60_000);

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe(gatewayConfigFromEnvironment.name, () => {
    it('accepts a complete dev data folder in dev mode (the refusals below are not blanket)', () => {
      const sut = gatewayConfigFromEnvironment(env(dataDir()));
      expect([sut.mode, sut.partnerPort, sut.admin.port]).toEqual(['dev', 8443, 8444]);
    });

    it('refuses an expired server certificate, naming the file and the date', () => {
      const dir = dataDir();
      replaceServerCertificate(
        dir,
        readDevCa(dir),
        new Date(Date.now() - 400 * DAY),
        new Date(Date.now() - DAY),
      );
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(
        /gateway server certificate .*gateway-server\.crt expired on \d{4}-\d{2}-\d{2}.*; renew it/,
      );
    });

    it('refuses a server certificate that is not yet valid', () => {
      const dir = dataDir();
      replaceServerCertificate(
        dir,
        readDevCa(dir),
        new Date(Date.now() + DAY),
        new Date(Date.now() + 400 * DAY),
      );
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(/is not valid before/);
    });

    it('refuses an unreadable server certificate', () => {
      const dir = dataDir();
      writeFileSync(devPkiPaths(dir, []).gatewayServer.cert, 'not a certificate');
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(
        /gateway server certificate .* is missing or not a readable PEM certificate/,
      );
    });

    it('refuses a missing server certificate', () => {
      const dir = dataDir();
      unlinkSync(devPkiPaths(dir, []).gatewayServer.cert);
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(/is missing or not a readable PEM/);
    });

    it('refuses a private key file others can read', () => {
      const dir = dataDir();
      chmodSync(devPkiPaths(dir, []).gatewayServer.key, 0o644);
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(/must be owner-only \(chmod 600\)/);
    });

    it('refuses a signing key file others can read', () => {
      const dir = dataDir();
      chmodSync(keyPaths(dir).privateJwk('gateway-signing'), 0o644);
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(/readable by others/);
    });

    it('refuses a missing signing key and never generates one', () => {
      const dir = dataDir();
      unlinkSync(keyPaths(dir).privateJwk('gateway-signing'));
      expect(() => gatewayConfigFromEnvironment(env(dir))).toThrow(/missing key file .*never generated/);
      expect(readdirSync(keyPaths(dir).dir)).not.toContain('gateway-signing.jwk.json');
    });

    it('refuses the dev CA outside dev mode', () => {
      expect(() => gatewayConfigFromEnvironment(env(dataDir(), { KETENPOORT_MODE: 'production' }))).toThrow(
        /dev CA configured outside dev mode/,
      );
    });

    it('refuses to start without DATABASE_URL', () => {
      const { DATABASE_URL: _omitted, ...rest } = env(dataDir());
      expect(() => gatewayConfigFromEnvironment(rest)).toThrow(/DATABASE_URL is required/);
    });

    describe('privacy officer console', () => {
      const SECRET = 'console-secret-0123456789abcdef';

      /** A data folder with an owner-only client secret file and the full set of console settings. */
      const consoleEnv = (mode = 0o600) => {
        const dir = dataDir();
        const secretFile = join(dir, 'keys', 'console-client-secret');
        writeFileSync(secretFile, `${SECRET}\n`, { mode });
        chmodSync(secretFile, mode);
        const settings = {
          KETENPOORT_CONSOLE_ISSUER: 'https://login.example.nl/realms/ketenpoort',
          KETENPOORT_CONSOLE_CLIENT_ID: 'ketenpoort-console',
          KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: secretFile,
          KETENPOORT_CONSOLE_PUBLIC_URL: 'https://admin.gateway.example.nl/console',
          KETENPOORT_CONSOLE_ISSUER_CA_FILE: devPkiPaths(dir, []).caCert,
        };
        return { dir, settings };
      };

      it('configures the console from the environment, the secret read from its file', () => {
        const { dir, settings } = consoleEnv();
        const sut = gatewayConfigFromEnvironment(env(dir, settings));
        expect(sut.console).toEqual({
          issuer: 'https://login.example.nl/realms/ketenpoort',
          clientId: 'ketenpoort-console',
          clientSecret: SECRET,
          publicUrl: 'https://admin.gateway.example.nl/console',
          issuerCaPems: [readDevCa(dir).certPem],
        });
      });

      it('configures no console when no console setting is given (nor an empty one)', () => {
        expect(gatewayConfigFromEnvironment(env(dataDir())).console).toBeUndefined();
        const empty = {
          KETENPOORT_CONSOLE_ISSUER: '',
          KETENPOORT_CONSOLE_CLIENT_ID: '',
          KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: '',
          KETENPOORT_CONSOLE_PUBLIC_URL: '',
          KETENPOORT_CONSOLE_ISSUER_CA_FILE: '',
        };
        expect(gatewayConfigFromEnvironment(env(dataDir(), empty)).console).toBeUndefined();
      });

      it('refuses partial settings, naming what is missing', () => {
        const { dir, settings } = consoleEnv();
        const {
          KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: _secret,
          KETENPOORT_CONSOLE_PUBLIC_URL: _url,
          ...partial
        } = settings;
        expect(() => gatewayConfigFromEnvironment(env(dir, partial))).toThrow(
          /console configuration incomplete: .* set but KETENPOORT_CONSOLE_CLIENT_SECRET_FILE, KETENPOORT_CONSOLE_PUBLIC_URL missing/,
        );
      });

      it('refuses the optional CA file alone, naming every required setting', () => {
        const { dir, settings } = consoleEnv();
        expect(() =>
          gatewayConfigFromEnvironment(
            env(dir, { KETENPOORT_CONSOLE_ISSUER_CA_FILE: settings.KETENPOORT_CONSOLE_ISSUER_CA_FILE }),
          ),
        ).toThrow(
          'set but KETENPOORT_CONSOLE_ISSUER, KETENPOORT_CONSOLE_CLIENT_ID, ' +
            'KETENPOORT_CONSOLE_CLIENT_SECRET_FILE, KETENPOORT_CONSOLE_PUBLIC_URL missing',
        );
      });

      it('refuses a client secret file others can read, without showing the secret', () => {
        const { dir, settings } = consoleEnv(0o644);
        let message = '';
        try {
          gatewayConfigFromEnvironment(env(dir, settings));
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(/KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: .* is readable by others/);
        expect(message).not.toContain(SECRET);
      });

      it('refuses a missing client secret file', () => {
        const { dir, settings } = consoleEnv();
        unlinkSync(settings.KETENPOORT_CONSOLE_CLIENT_SECRET_FILE);
        expect(() => gatewayConfigFromEnvironment(env(dir, settings))).toThrow(
          /KETENPOORT_CONSOLE_CLIENT_SECRET_FILE: .*console-client-secret does not exist/,
        );
      });

      it('refuses invalid settings with the same words as the gateway configuration check', () => {
        const { dir, settings } = consoleEnv();
        writeFileSync(settings.KETENPOORT_CONSOLE_CLIENT_SECRET_FILE, 'short', { mode: 0o600 });
        const bad = {
          ...settings,
          KETENPOORT_CONSOLE_ISSUER: 'http://login.example.nl',
          KETENPOORT_CONSOLE_PUBLIC_URL: 'https://admin.gateway.example.nl/',
        };
        expect(() => gatewayConfigFromEnvironment(env(dir, bad))).toThrow(
          'gateway configuration refused: console.issuer must be an https URL; ' +
            'console.clientSecret must be at least 16 characters; ' +
            'console.publicUrl must be an https URL ending in /console',
        );
      });

      it('refuses the dev CA as the console issuer CA outside dev mode', () => {
        const { dir, settings } = consoleEnv();
        expect(() =>
          gatewayConfigFromEnvironment(env(dir, { ...settings, KETENPOORT_MODE: 'production' })),
        ).toThrow(/dev CA configured outside dev mode: .*console issuer/);
      });
    });
  });

  describe(registerConfigFromEnvironment.name, () => {
    it('refuses an expired register server certificate', () => {
      const dir = dataDir();
      const paths = devPkiPaths(dir, []).registerServer;
      const cert = issueCertificate(readDevCa(dir), {
        kind: 'server',
        commonName: 'register',
        notBefore: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() - DAY),
      });
      writeFileSync(paths.cert, cert.certPem);
      expect(() => registerConfigFromEnvironment(env(dir))).toThrow(
        /register server certificate .* expired on/,
      );
    });

    it('refuses a server certificate that expired by the clock it is given', () => {
      expect(() => registerConfigFromEnvironment(env(dataDir()), new Date(Date.now() + 3650 * DAY))).toThrow(
        /expired on/,
      );
    });
  });

  describe(startStack.name, () => {
    it('refuses a policy with an unknown field, naming file and line, before anything starts', async () => {
      const config = tempDir('kp-config-dir-');
      cpSync(CONFIG_DIR, config, { recursive: true });
      writeFileSync(join(config, 'policies', 'register.yaml'), 'unknownTopLevel: true\n', { flag: 'a' });
      const dir = tempDir('kp-config-stack-');
      await expect(startStack({ mode: 'dev', dataDir: dir, configDir: config })).rejects.toThrow(
        /register\.yaml.*\d+.*unknown key/s,
      );
      expect(readdirSync(dir)).toEqual([]);
    });

    it('refuses a key file others can read outside dev mode', async () => {
      const dir = dataDir();
      chmodSync(keyPaths(dir).privateJwk('register-signing'), 0o644);
      await expect(
        startStack({
          mode: 'production',
          dataDir: dir,
          configDir: CONFIG_DIR,
          gatewayDatabaseUrl: UNREACHABLE_DB,
          registerDatabaseUrl: UNREACHABLE_DB,
        }),
      ).rejects.toThrow(/readable by others/);
    });

    it('refuses the dev CA outside dev mode', async () => {
      await expect(
        startStack({
          mode: 'production',
          dataDir: dataDir(),
          configDir: CONFIG_DIR,
          gatewayDatabaseUrl: UNREACHABLE_DB,
          registerDatabaseUrl: UNREACHABLE_DB,
        }),
      ).rejects.toThrow(/dev CA configured outside dev mode/);
    });
  });
});
