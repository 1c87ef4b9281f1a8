import forge from 'node-forge';
import { randomSerialHex, signAndExport, subjectAttributes, type PemPair } from './certificate.builder.js';
import { parseCertificate, parsePrivateKey } from './dev-ca.js';
import type { PartnerConfig } from './partners-file.loader.js';
import { PkiError } from './pki.error.js';

/** Options of {@link signCsr}. */
export interface SignCsrOptions {
  partner: Pick<PartnerConfig, 'id' | 'name' | 'oin'>;
  /** Days from now; default 825. */
  validDays?: number;
}

const DEFAULT_VALID_DAYS = 825;
const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_RSA_BITS = 2048;

/**
 * Signs a partner's certificate signing request, so the partner keeps its own private key. The CSR's
 * signature must verify (proof of possession). Everything the CSR asks for besides its public key is
 * ignored: the subject comes from the partner configuration (CN = partner id, O = name, serialNumber =
 * OIN) and the extensions are those of a client certificate (clientAuth, no SAN, not a CA).
 * Refuses with `PKI.CSR_INVALID` (not a CSR, bad signature, a key that is not RSA ≥ 2048 bits).
 *
 * @example
 * const certPem = signCsr(ca, csrPem, { partner: kmar });
 */
export function signCsr(ca: PemPair, csrPem: string, opts: SignCsrOptions): string {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch {
    throw new PkiError('PKI.CSR_INVALID', 'not a PEM certificate signing request with an RSA key');
  }
  let verified = false;
  try {
    verified = csr.verify();
  } catch {
    verified = false;
  }
  if (!verified) throw new PkiError('PKI.CSR_INVALID', 'the CSR signature does not verify');
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey | null;
  if (!publicKey?.n || publicKey.n.bitLength() < MIN_RSA_BITS) {
    throw new PkiError('PKI.CSR_INVALID', `the CSR key must be RSA of at least ${MIN_RSA_BITS} bits`);
  }
  const { partner } = opts;
  if (!/^\d{20}$/.test(partner.oin)) {
    throw new PkiError('PKI.ISSUE_INVALID', `partner '${partner.id}': the OIN must be 20 digits`);
  }
  const caCert = parseCertificate(ca.certPem);
  const caKey = parsePrivateKey(ca.keyPem);

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialHex();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + (opts.validDays ?? DEFAULT_VALID_DAYS) * DAY_MS);
  cert.setSubject(
    subjectAttributes({
      commonName: partner.id,
      organisation: partner.name,
      organisationIdentifier: partner.oin,
    }),
  );
  cert.setIssuer(caCert.subject.attributes);
  const ski = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: ski?.subjectKeyIdentifier
        ? forge.util.hexToBytes(ski.subjectKeyIdentifier)
        : caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  return signAndExport(cert, caKey);
}
