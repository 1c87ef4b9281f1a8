import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import forge from 'node-forge';
import { attributeText } from './certificate.builder.js';
import { certificateDer, certificateFingerprint } from './certificate-fingerprint.js';
import { PkiError } from './pki.error.js';

/** What identifies a certificate holder: the OIN (subject serialNumber) plus the issuing CA. */
export interface CertificateIdentity {
  organisationIdentifier: string | null;
  organisation: string | null;
  commonName: string | null;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  fingerprint: string;
  /** SHA-256 of the issuing CA certificate, when known and proven to have signed this certificate. */
  issuerFingerprint: string | null;
  notBefore: Date;
  notAfter: Date;
}

const { asn1 } = forge;
// Present in node-forge's x509 module but missing from its type definitions.
const rdnAttributesAsArray = (
  forge.pki as unknown as { RDNAttributesAsArray(rdn: forge.asn1.Asn1): forge.pki.CertificateField[] }
).RDNAttributesAsArray;

/**
 * Identity of a TLS peer from `socket.getPeerCertificate(true)`. The subject is read from the peer's
 * DER (`raw`), so escaping in Node's subject object cannot matter. The issuer fingerprint is only set
 * when the issuer certificate really signed the peer certificate; a self-signed peer (whose
 * issuerCertificate is itself) has no issuing CA and gets `null`.
 *
 * @example
 * const identity = identityFromPeerCertificate(socket.getPeerCertificate(true));
 * directory.resolve(identity); // PartnerConfig | null
 */
export function identityFromPeerCertificate(peer: DetailedPeerCertificate): CertificateIdentity {
  if (!peer || !Buffer.isBuffer(peer.raw) || peer.raw.length === 0) {
    throw new PkiError('PKI.NO_PEER_CERTIFICATE', 'the peer presented no certificate');
  }
  const issuer = peer.issuerCertificate;
  const issuerDer = issuer && Buffer.isBuffer(issuer.raw) && issuer.raw.length > 0 ? issuer.raw : undefined;
  return identityFromDer(peer.raw, issuerDer);
}

/**
 * Identity of a PEM certificate; with `issuerPem`, the issuer fingerprint when that CA signed it.
 *
 * @example
 * identityFromPem(partner.certPem, ca.certPem).organisationIdentifier; // '00000001003214345001'
 */
export function identityFromPem(certPem: string, issuerPem?: string): CertificateIdentity {
  return identityFromDer(
    certificateDer(certPem),
    issuerPem === undefined ? undefined : certificateDer(issuerPem),
  );
}

function identityFromDer(der: Buffer, issuerDer: Buffer | undefined): CertificateIdentity {
  const tbs = readTbs(der);
  const subject = tbs.subject;
  return {
    organisationIdentifier: singleValue(subject, '2.5.4.5'),
    organisation: firstValue(subject, '2.5.4.10'),
    commonName: firstValue(subject, '2.5.4.3'),
    fingerprint: certificateFingerprint(der),
    issuerFingerprint:
      issuerDer !== undefined && provenIssuer(der, issuerDer) ? certificateFingerprint(issuerDer) : null,
    notBefore: tbs.notBefore,
    notAfter: tbs.notAfter,
  };
}

/** True when `issuerDer` is a different certificate whose key signed `der` and whose subject is its issuer. */
function provenIssuer(der: Buffer, issuerDer: Buffer): boolean {
  if (der.equals(issuerDer)) return false;
  try {
    const leaf = new X509Certificate(der);
    const issuer = new X509Certificate(issuerDer);
    return leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

interface TbsFields {
  subject: forge.pki.CertificateField[];
  notBefore: Date;
  notAfter: Date;
}

/**
 * Reads subject and validity straight from the TBSCertificate ASN.1, so certificates with keys forge
 * cannot parse (EC keys from a real CA) still yield an identity.
 */
function readTbs(der: Buffer): TbsFields {
  try {
    const cert = asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
    const tbs = (cert.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const hasVersion = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC && tbs[0].type === 0;
    const offset = hasVersion ? 1 : 0;
    const validity = tbs[offset + 3].value as forge.asn1.Asn1[];
    return {
      subject: rdnAttributesAsArray(tbs[offset + 4]),
      notBefore: asn1Time(validity[0]),
      notAfter: asn1Time(validity[1]),
    };
  } catch {
    throw new PkiError('PKI.CERT_INVALID', 'not a valid X.509 certificate');
  }
}

function asn1Time(node: forge.asn1.Asn1): Date {
  const text = node.value as string;
  return node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(text) : asn1.generalizedTimeToDate(text);
}

function valuesOf(subject: forge.pki.CertificateField[], oid: string): string[] {
  return subject
    .filter((attr) => attr.type === oid)
    .map((attr) => attributeText(attr))
    .filter((v): v is string => v !== null);
}

function firstValue(subject: forge.pki.CertificateField[], oid: string): string | null {
  return valuesOf(subject, oid)[0] ?? null;
}

/** An identifier that appears more than once with different values identifies nobody. */
function singleValue(subject: forge.pki.CertificateField[], oid: string): string | null {
  const values = [...new Set(valuesOf(subject, oid))];
  return values.length === 1 ? values[0] : null;
}
