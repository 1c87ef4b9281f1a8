import forge from 'node-forge';
import {
  PemPair,
  generateRsaKeyPair,
  randomSerialHex,
  signAndExport,
  subjectAltNames,
  subjectAttributes,
} from './certificate.builder.js';
import { parseCertificate, parsePrivateKey } from './dev-ca.js';
import { PkiError } from './pki.error.js';

/** Options of {@link issueCertificate}. */
export interface IssueCertificateOptions {
  kind: 'server' | 'client';
  commonName: string;
  organisation?: string;
  /** The OIN; written to the subject's serialNumber attribute as PKIoverheid does. */
  organisationIdentifier?: string;
  /** Extra subject alternative names (DNS names or IP addresses). */
  sans?: string[];
  /** Days from now; default 825. Ignored when notAfter is given. */
  validDays?: number;
  /** Default now - 1 hour (tolerates clock skew). */
  notBefore?: Date;
  notAfter?: Date;
}

const DEFAULT_VALID_DAYS = 825;
const DAY_MS = 24 * 60 * 60 * 1000;
const SERVER_SANS = ['localhost', '127.0.0.1'];

/**
 * Issues a leaf certificate signed by `ca` with a fresh RSA 2048 key. `server` gets extKeyUsage
 * serverAuth and SAN localhost + 127.0.0.1 (plus `sans`); `client` gets clientAuth.
 *
 * @example
 * const partner = issueCertificate(ca, {
 *   kind: 'client', commonName: 'kmar', organisation: 'Koninklijke Marechaussee',
 *   organisationIdentifier: '00000001003214345001',
 * });
 */
export function issueCertificate(ca: PemPair, opts: IssueCertificateOptions): PemPair {
  if (!opts.commonName) throw new PkiError('PKI.ISSUE_INVALID', 'commonName is required');
  if (
    opts.organisationIdentifier !== undefined &&
    !/^[A-Za-z0-9 '()+,\-./:=?]+$/.test(opts.organisationIdentifier)
  ) {
    throw new PkiError('PKI.ISSUE_INVALID', 'organisationIdentifier must be a PrintableString');
  }
  const caCert = parseCertificate(ca.certPem);
  const caKey = parsePrivateKey(ca.keyPem);
  const keys = generateRsaKeyPair();

  const now = Date.now();
  const notBefore = opts.notBefore ?? new Date(now - 60 * 60 * 1000);
  const notAfter = opts.notAfter ?? new Date(now + (opts.validDays ?? DEFAULT_VALID_DAYS) * DAY_MS);
  if (notAfter.getTime() <= notBefore.getTime()) {
    throw new PkiError('PKI.ISSUE_INVALID', 'notAfter must be later than notBefore');
  }

  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(
    subjectAttributes({
      commonName: opts.commonName,
      organisation: opts.organisation,
      organisationIdentifier: opts.organisationIdentifier,
    }),
  );
  cert.setIssuer(caCert.subject.attributes);

  const sans = opts.kind === 'server' ? [...SERVER_SANS, ...(opts.sans ?? [])] : (opts.sans ?? []);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    opts.kind === 'server'
      ? { name: 'extKeyUsage', serverAuth: true }
      : { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caSubjectKeyIdentifier(caCert) },
  ];
  if (sans.length > 0) extensions.push({ name: 'subjectAltName', altNames: subjectAltNames(sans) });
  cert.setExtensions(extensions);

  return { certPem: signAndExport(cert, caKey), keyPem: keys.privateKeyPem };
}

/** The CA's key identifier as forge's binary string; reuses the CA's own SKI so the AKI matches it. */
function caSubjectKeyIdentifier(caCert: forge.pki.Certificate): string {
  const ski = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
  return ski?.subjectKeyIdentifier
    ? forge.util.hexToBytes(ski.subjectKeyIdentifier)
    : caCert.generateSubjectKeyIdentifier().getBytes();
}
