import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { identityFromPem } from './certificate-identity.js';
import { certificateFingerprint } from './certificate-fingerprint.js';
import { assertNoDevCa, createDevCa, isDevCa } from './dev-ca.js';
import { ensureDevPki, readDevCa, type DevPkiPaths } from './dev-pki.bootstrap.js';
import type { PartnerConfig } from './partners-file.loader.js';

const partners: PartnerConfig[] = [
  {
    id: 'kmar',
    name: 'Koninklijke Marechaussee',
    oin: '00000001003214345001',
    ca: 'dev',
    reporterType: 'kmar',
    purposes: ['registration'],
  },
  {
    id: 'opvang-amsterdam',
    name: 'Opvang Amsterdam',
    oin: '00000001003214345005',
    ca: 'dev',
    reporterType: 'shelter',
    purposes: ['registration'],
  },
];

const allFiles = (paths: DevPkiPaths) => [
  paths.caCert,
  paths.caKey,
  ...[
    paths.gatewayServer,
    paths.registerServer,
    paths.gatewayClient,
    ...Object.values(paths.partners),
  ].flatMap((pair) => [pair.cert, pair.key]),
];
const snapshot = (paths: DevPkiPaths) => allFiles(paths).map((file) => readFileSync(file, 'utf8'));

describe(ensureDevPki.name, () => {
  let dataDir: string;
  let sut: DevPkiPaths;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'kp-devpki-'));
    sut = ensureDevPki(dataDir, partners);
  });

  it('creates the layout of the brief', () => {
    const pki = join(dataDir, 'pki');
    expect(sut.caCert).toBe(join(pki, 'ca.crt'));
    expect(sut.gatewayServer).toEqual({
      cert: join(pki, 'gateway-server.crt'),
      key: join(pki, 'gateway-server.key'),
    });
    expect(sut.gatewayClient.cert).toBe(join(pki, 'gateway-client.crt'));
    expect(sut.registerServer.key).toBe(join(pki, 'register-server.key'));
    expect(sut.partners.kmar).toEqual({
      cert: join(pki, 'partners', 'kmar.crt'),
      key: join(pki, 'partners', 'kmar.key'),
    });
  });

  it('writes private keys 0600 and certificates 0644', () => {
    for (const file of allFiles(sut)) {
      expect([file, statSync(file).mode & 0o777]).toEqual([file, file.endsWith('.key') ? 0o600 : 0o644]);
    }
  });

  it('creates a dev CA and issues every certificate from it', () => {
    const caPem = readFileSync(sut.caCert, 'utf8');
    expect(isDevCa(caPem)).toBe(true);
    for (const pair of [
      sut.gatewayServer,
      sut.registerServer,
      sut.gatewayClient,
      ...Object.values(sut.partners),
    ]) {
      expect(identityFromPem(readFileSync(pair.cert, 'utf8'), caPem).issuerFingerprint).toBe(
        certificateFingerprint(caPem),
      );
    }
  });

  it('issues server certificates for localhost', () => {
    const cert = new X509Certificate(readFileSync(sut.gatewayServer.cert));
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('issues partner certificates with CN = id, O = name, serialNumber = OIN', () => {
    const identity = identityFromPem(readFileSync(sut.partners['opvang-amsterdam'].cert, 'utf8'));
    expect([identity.commonName, identity.organisation, identity.organisationIdentifier]).toEqual([
      'opvang-amsterdam',
      'Opvang Amsterdam',
      '00000001003214345005',
    ]);
  });

  it('changes nothing when run again', () => {
    const before = snapshot(sut);
    ensureDevPki(dataDir, partners);
    expect(snapshot(sut)).toEqual(before);
  });

  it('creates only what is missing', () => {
    const before = snapshot(sut);
    rmSync(sut.partners.kmar.cert);
    ensureDevPki(dataDir, partners);
    const after = snapshot(sut);
    const changed = allFiles(sut).filter((_, i) => before[i] !== after[i]);
    expect(changed).toEqual([sut.partners.kmar.cert, sut.partners.kmar.key]);
  });

  it('re-issues a partner certificate whose OIN no longer matches the configuration', () => {
    const moved = partners.map((p) => (p.id === 'kmar' ? { ...p, oin: '00000001003214345099' } : p));
    ensureDevPki(dataDir, moved);
    expect(identityFromPem(readFileSync(sut.partners.kmar.cert, 'utf8')).organisationIdentifier).toBe(
      '00000001003214345099',
    );
  });
});

describe(readDevCa.name, () => {
  it('refuses when no dev CA exists yet', () => {
    expect(() => readDevCa(mkdtempSync(join(tmpdir(), 'kp-devpki-')))).toThrow(
      expect.objectContaining({ code: 'PKI.DEV_CA_MISSING' }),
    );
  });
});

describe(assertNoDevCa.name, () => {
  it('refuses a CA marked dev in the configuration', () => {
    expect(() => assertNoDevCa({}, [{ name: 'dev', dev: true }])).toThrow(
      expect.objectContaining({ code: 'PKI.DEV_CA_REFUSED' }),
    );
  });

  it('refuses a dev CA certificate even when the configuration does not say dev', () => {
    const ca = createDevCa({ commonName: 'Looks official' });
    expect(() => assertNoDevCa({ pkio: ca.certPem }, [{ name: 'pkio', dev: false }])).toThrow(
      expect.objectContaining({ code: 'PKI.DEV_CA_REFUSED' }),
    );
  });
});
