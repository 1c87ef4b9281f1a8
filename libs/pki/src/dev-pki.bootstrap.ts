import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PemPair } from './certificate.builder.js';
import { identityFromPem } from './certificate-identity.js';
import { DEV_CA_ORGANISATION, createDevCa, isDevCa } from './dev-ca.js';
import { issueCertificate, type IssueCertificateOptions } from './issue-certificate.js';
import type { PartnerConfig } from './partners-file.loader.js';
import { PkiError } from './pki.error.js';
import { readPrivateKeyFile, writeCertificateFile, writePrivateKeyFile } from './private-key-file.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface CertKeyPaths {
  cert: string;
  key: string;
}

/** Files of the dev PKI under `<dataDir>/pki` (layout in the brief). */
export interface DevPkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
  gatewayServer: CertKeyPaths;
  registerServer: CertKeyPaths;
  gatewayClient: CertKeyPaths;
  partners: Record<string, CertKeyPaths>;
}

/**
 * Paths of the dev PKI under `<dataDir>/pki`, without touching the disk.
 *
 * @example
 * devPkiPaths('.data', partners).gatewayServer.cert; // '.data/pki/gateway-server.crt'
 */
export function devPkiPaths(dataDir: string, partners: Pick<PartnerConfig, 'id'>[]): DevPkiPaths {
  const dir = join(dataDir, 'pki');
  const pair = (base: string): CertKeyPaths => ({
    cert: join(dir, `${base}.crt`),
    key: join(dir, `${base}.key`),
  });
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    gatewayServer: pair('gateway-server'),
    registerServer: pair('register-server'),
    gatewayClient: pair('gateway-client'),
    partners: Object.fromEntries(partners.map((p) => [p.id, pair(join('partners', p.id))])),
  };
}

/**
 * Creates what is missing of the dev PKI under `<dataDir>/pki`: the dev CA, gateway and register server
 * certificates, the gateway's client certificate and one client certificate per partner (CN = id,
 * O = name, serialNumber = OIN). Idempotent: valid existing files are kept; a certificate that is
 * expired, not issued by the current CA, not matching its key or its partner is issued again.
 * Dev mode only — the caller must not run this outside the embedded dev mode.
 *
 * @example
 * const paths = ensureDevPki('.data', loadPartnersFile('config/partners.yaml').partners);
 */
export function ensureDevPki(dataDir: string, partners: PartnerConfig[]): DevPkiPaths {
  const paths = devPkiPaths(dataDir, partners);
  const ca = ensureCa(paths);

  ensureLeaf(ca, paths.gatewayServer, {
    kind: 'server',
    commonName: 'gateway',
    organisation: DEV_CA_ORGANISATION,
  });
  ensureLeaf(ca, paths.registerServer, {
    kind: 'server',
    commonName: 'register',
    organisation: DEV_CA_ORGANISATION,
  });
  ensureLeaf(ca, paths.gatewayClient, {
    kind: 'client',
    commonName: 'gateway',
    organisation: DEV_CA_ORGANISATION,
  });
  for (const partner of partners)
    ensureLeaf(ca, paths.partners[partner.id], partnerCertificateOptions(partner));
  return paths;
}

/**
 * Certificate options for a partner's client certificate: CN = partner id, O = name, serialNumber = OIN.
 *
 * @example
 * issueCertificate(ca, partnerCertificateOptions(partner));
 */
export function partnerCertificateOptions(
  partner: Pick<PartnerConfig, 'id' | 'name' | 'oin'>,
): IssueCertificateOptions {
  return {
    kind: 'client',
    commonName: partner.id,
    organisation: partner.name,
    organisationIdentifier: partner.oin,
  };
}

/**
 * Reads the dev CA of `<dataDir>/pki` (certificate and key). PkiError `PKI.DEV_CA_MISSING` when it was
 * not created yet, `PKI.NOT_DEV_CA` when the files hold a CA that is not a dev CA.
 *
 * @example
 * const ca = readDevCa('.data');
 */
export function readDevCa(dataDir: string): PemPair {
  return readDevCaFiles(devPkiPaths(dataDir, []));
}

function readDevCaFiles(paths: DevPkiPaths): PemPair {
  if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) {
    throw new PkiError('PKI.DEV_CA_MISSING', `no dev CA under ${paths.dir}; run 'ketenpoort pki init' first`);
  }
  const ca = {
    certPem: readFileSync(paths.caCert, 'utf8'),
    keyPem: readPrivateKeyFile(paths.caKey, { allowInsecureMode: true }),
  };
  if (!isDevCa(ca.certPem)) {
    throw new PkiError(
      'PKI.NOT_DEV_CA',
      `${paths.caCert} is not a Ketenpoort dev CA; refusing to issue from it`,
    );
  }
  if (!keyMatchesCertificate(ca.keyPem, ca.certPem)) {
    throw new PkiError('PKI.KEY_MISMATCH', `${paths.caKey} does not belong to ${paths.caCert}`);
  }
  return ca;
}

function ensureCa(paths: DevPkiPaths): PemPair {
  if (existsSync(paths.caCert) && existsSync(paths.caKey)) return readDevCaFiles(paths);
  const ca = createDevCa({ commonName: 'Ketenpoort dev CA' });
  writePrivateKeyFile(paths.caKey, ca.keyPem);
  writeCertificateFile(paths.caCert, ca.certPem);
  return ca;
}

function ensureLeaf(ca: PemPair, files: CertKeyPaths, opts: IssueCertificateOptions): void {
  if (leafIsCurrent(ca, files, opts)) return;
  const leaf = issueCertificate(ca, opts);
  writePrivateKeyFile(files.key, leaf.keyPem);
  writeCertificateFile(files.cert, leaf.certPem);
}

function leafIsCurrent(ca: PemPair, files: CertKeyPaths, opts: IssueCertificateOptions): boolean {
  if (!existsSync(files.cert) || !existsSync(files.key)) return false;
  try {
    const certPem = readFileSync(files.cert, 'utf8');
    const keyPem = readPrivateKeyFile(files.key, { allowInsecureMode: true });
    const identity = identityFromPem(certPem, ca.certPem);
    const now = Date.now();
    return (
      identity.issuerFingerprint !== null &&
      identity.notBefore.getTime() <= now &&
      identity.notAfter.getTime() > now &&
      identity.commonName === opts.commonName &&
      identity.organisation === (opts.organisation ?? null) &&
      identity.organisationIdentifier === (opts.organisationIdentifier ?? null) &&
      (new X509Certificate(certPem).keyUsage ?? []).includes(
        opts.kind === 'server' ? SERVER_AUTH : CLIENT_AUTH,
      ) &&
      keyMatchesCertificate(keyPem, certPem)
    );
  } catch {
    return false;
  }
}

function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  try {
    const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
    return Buffer.compare(fromKey, fromCert) === 0;
  } catch {
    return false;
  }
}
