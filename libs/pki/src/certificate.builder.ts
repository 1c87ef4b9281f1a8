import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const { pki, asn1 } = forge;

/** A certificate and its private key, both PEM. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** Subject attributes we put in certificates; `serialNumber` carries the OIN as PKIoverheid does. */
export interface SubjectFields {
  commonName: string;
  organisation?: string;
  organisationalUnit?: string;
  organisationIdentifier?: string;
}

const RSA_BITS = 2048;
// Present in node-forge's x509 module but missing from its type definitions.
interface ForgeTbs {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

/** A fresh key: PKCS#8 PEM for files, and the public key as forge needs it for the certificate. */
export interface GeneratedKey {
  privateKeyPem: string;
  publicKey: forge.pki.PublicKey;
}

/**
 * RSA 2048 from Node's native generator: forge's pure-JS fallback takes seconds per key, and the
 * native path is what forge itself would pick when it detects Node.
 */
export function generateRsaKeyPair(): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: RSA_BITS,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKey: pki.publicKeyFromPem(publicKey) };
}

/** A random positive 128-bit serial (leading byte's high bit cleared, never zero). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export function subjectAttributes(fields: SubjectFields): forge.pki.CertificateField[] {
  // UTF8String for names (partner names carry diacritics); PrintableString for serialNumber (X.520).
  const utf8 = asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const attrs: forge.pki.CertificateField[] = [
    { name: 'commonName', value: fields.commonName, valueTagClass: utf8 },
  ];
  if (fields.organisation !== undefined) {
    attrs.push({ name: 'organizationName', value: fields.organisation, valueTagClass: utf8 });
  }
  if (fields.organisationalUnit !== undefined) {
    attrs.push({ name: 'organizationalUnitName', value: fields.organisationalUnit, valueTagClass: utf8 });
  }
  if (fields.organisationIdentifier !== undefined) {
    attrs.push({
      name: 'serialNumber',
      value: fields.organisationIdentifier,
      valueTagClass: asn1.Type.PRINTABLESTRING as unknown as forge.asn1.Class,
    });
  }
  return attrs;
}

export function subjectAltNames(names: string[]): { type: number; value?: string; ip?: string }[] {
  return [...new Set(names)].map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name }));
}

/**
 * Signs with sha256WithRSAEncryption exactly as forge's `cert.sign` does, but computes the RSA
 * signature natively (forge's big-integer arithmetic costs ~100 ms per signature).
 */
export function signAndExport(cert: forge.pki.Certificate, signingKey: KeyObject): string {
  const mutable = cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1; signatureOid: string };
  mutable.signatureOid = cert.siginfo.algorithmOid = pki.oids.sha256WithRSAEncryption;
  mutable.tbsCertificate = (pki as unknown as ForgeTbs).getTBSCertificate(cert);
  const tbsDer = Buffer.from(asn1.toDer(mutable.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbsDer, signingKey).toString('binary');
  return pki.certificateToPem(cert);
}

/** Decodes an attribute value forge returns as a binary string (UTF8String arrives still encoded). */
export function attributeText(field: forge.pki.CertificateField | null | undefined): string | null {
  if (!field || typeof field.value !== 'string') return null;
  if ((field.valueTagClass as number | undefined) === asn1.Type.UTF8) {
    try {
      return forge.util.decodeUtf8(field.value);
    } catch {
      return field.value;
    }
  }
  return field.value;
}
