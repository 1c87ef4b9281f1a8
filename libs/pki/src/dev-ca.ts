import { createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  PemPair,
  attributeText,
  generateRsaKeyPair,
  randomSerialHex,
  signAndExport,
  subjectAttributes,
} from './certificate.builder.js';
import { PkiError } from './pki.error.js';

/** Subject OU that marks a CA as a Ketenpoort development CA (refused outside dev mode). */
export const DEV_CA_MARKER = 'ketenpoort-dev-ca';
/** Subject O of every dev CA. */
export const DEV_CA_ORGANISATION = 'Ketenpoort dev';

const CA_VALID_YEARS = 10;

/**
 * Creates a self-signed development CA: RSA 2048, basicConstraints cA, keyUsage keyCertSign + cRLSign,
 * valid 10 years, subject `CN=<commonName>, O=Ketenpoort dev, OU=ketenpoort-dev-ca`.
 *
 * @example
 * const ca = createDevCa({ commonName: 'Ketenpoort dev CA' });
 * isDevCa(ca.certPem); // true
 */
export function createDevCa(opts: { commonName?: string } = {}): PemPair {
  const keys = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialHex();
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALID_YEARS);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = subjectAttributes({
    commonName: opts.commonName ?? 'Ketenpoort dev CA',
    organisation: DEV_CA_ORGANISATION,
    organisationalUnit: DEV_CA_MARKER,
  });
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  return { certPem: signAndExport(cert, createPrivateKey(keys.privateKeyPem)), keyPem: keys.privateKeyPem };
}

/**
 * True when the certificate is a Ketenpoort development CA (subject OU `ketenpoort-dev-ca`).
 *
 * @example
 * if (!devMode && isDevCa(caPem)) throw new Error('dev CA refused');
 */
export function isDevCa(certPem: string): boolean {
  return hasDevMarker(parseCertificate(certPem));
}

function hasDevMarker(cert: forge.pki.Certificate): boolean {
  return cert.subject.attributes.some(
    (attr) => attr.name === 'organizationalUnitName' && attributeText(attr) === DEV_CA_MARKER,
  );
}

/** Parses a PEM certificate with forge; PkiError `PKI.CERT_INVALID` when it is not one. */
export function parseCertificate(certPem: string): forge.pki.Certificate {
  try {
    return forge.pki.certificateFromPem(certPem);
  } catch {
    throw new PkiError('PKI.CERT_INVALID', 'not a valid PEM certificate');
  }
}

/** Parses a PEM private key; PkiError `PKI.KEY_INVALID` when it is not one. */
export function parsePrivateKey(keyPem: string): KeyObject {
  try {
    return createPrivateKey(keyPem);
  } catch {
    throw new PkiError('PKI.KEY_INVALID', 'not a valid PEM private key');
  }
}

/**
 * Outside the embedded dev mode: refuses (PkiError `PKI.DEV_CA_REFUSED`) any trusted CA that is marked
 * `dev: true` in partners.yaml or whose certificate is a Ketenpoort dev CA.
 *
 * @example
 * if (!config.devMode) assertNoDevCa(caPems, partnersFile.cas);
 */
export function assertNoDevCa(
  caCertsByName: Record<string, string>,
  cas: { name: string; dev: boolean }[] = [],
): void {
  for (const ca of cas) {
    if (ca.dev)
      throw new PkiError('PKI.DEV_CA_REFUSED', `CA '${ca.name}' is a dev CA; refused outside dev mode`);
  }
  for (const [name, pem] of Object.entries(caCertsByName)) {
    if (isDevCa(pem))
      throw new PkiError(
        'PKI.DEV_CA_REFUSED',
        `CA '${name}' is a Ketenpoort dev CA; refused outside dev mode`,
      );
  }
}
