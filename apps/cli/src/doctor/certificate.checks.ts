import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isDevCa } from '@ketenpoort/pki';
import { fail, ok, warn, type DoctorFinding } from './doctor-check.js';

const DAY_MS = 86_400_000;
export const EXPIRY_WARNING_DAYS = 30;

export interface CertificateToCheck {
  label: string;
  certPath: string;
  keyPath?: string;
  /** CA certificates (PEM) one of which must have issued it; absent for a CA itself. */
  issuers?: string[];
  /** Host names or IP addresses the certificate must hold in its subjectAltName (server certificates). */
  hosts?: string[];
  /** Absent files are a warning instead of a failure (partner certificates live with the partners). */
  optional?: boolean;
}

/** Validity, expiry within 30 days, SAN for servers, chain to the CA, key pair match. */
export function checkCertificate(input: CertificateToCheck, now: Date, production: boolean): DoctorFinding[] {
  const { label, certPath } = input;
  if (!existsSync(certPath)) {
    return [
      (input.optional ? warn : fail)(
        'certificates',
        label,
        `${certPath} does not exist`,
        `place the certificate (PEM) at ${certPath}, or run \`ketenpoort pki init\` in dev`,
      ),
    ];
  }
  let cert: X509Certificate;
  let pem: string;
  try {
    pem = readFileSync(certPath, 'utf8');
    cert = new X509Certificate(pem);
  } catch {
    return [
      fail(
        'certificates',
        label,
        `${certPath} is not a readable PEM certificate`,
        `replace ${certPath} with the PEM certificate`,
      ),
    ];
  }
  const findings: DoctorFinding[] = [];
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (now < notBefore) {
    findings.push(
      fail(
        'certificates',
        label,
        `not valid before ${notBefore.toISOString()}`,
        `check the clock, or issue a certificate valid now`,
      ),
    );
  } else if (now > notAfter) {
    findings.push(
      fail(
        'certificates',
        label,
        `expired on ${notAfter.toISOString()}`,
        `renew ${certPath} and restart the service that uses it`,
      ),
    );
  } else if (days < EXPIRY_WARNING_DAYS) {
    findings.push(
      warn(
        'certificates',
        label,
        `expires in ${days} days (${notAfter.toISOString()})`,
        `renew ${certPath} before ${notAfter.toISOString().slice(0, 10)}`,
      ),
    );
  } else {
    findings.push(
      ok('certificates', label, `valid until ${notAfter.toISOString().slice(0, 10)} (${days} days)`),
    );
  }
  if (input.hosts?.length) {
    const missing = input.hosts.filter((host) =>
      /^[\d.]+$|:/.test(host) ? !cert.checkIP(host) : !cert.checkHost(host),
    );
    findings.push(
      missing.length
        ? fail(
            'certificates',
            label,
            `subjectAltName lacks ${missing.join(', ')}`,
            `issue a server certificate whose SAN lists ${missing.join(', ')}`,
          )
        : ok('certificates', label, `subjectAltName covers ${input.hosts.join(', ')}`),
    );
  }
  if (input.issuers) {
    const chained = input.issuers.some((issuerPem) => {
      try {
        const issuer = new X509Certificate(issuerPem);
        return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
      } catch {
        return false;
      }
    });
    findings.push(
      chained
        ? ok('certificates', label, 'chains to the configured CA')
        : fail(
            'certificates',
            label,
            'is not signed by the configured CA',
            `issue ${certPath} from the CA the peers trust, or configure its CA`,
          ),
    );
  } else if (production && isDevCa(pem)) {
    findings.push(
      fail(
        'certificates',
        label,
        'is the dev CA',
        'configure the production CA; the dev CA is refused outside dev mode',
      ),
    );
  } else if (isDevCa(pem)) {
    findings.push(
      warn('certificates', label, 'is the dev CA', 'fine for `ketenpoort dev`; production refuses it'),
    );
  }
  if (input.keyPath && existsSync(input.keyPath)) {
    try {
      const fromKey = createPublicKey(createPrivateKey(readFileSync(input.keyPath, 'utf8'))).export({
        type: 'spki',
        format: 'der',
      });
      const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
      if (!fromKey.equals(fromCert)) {
        findings.push(
          fail(
            'certificates',
            label,
            `${input.keyPath} does not belong to the certificate`,
            `install the key the certificate was issued for`,
          ),
        );
      }
    } catch {
      // The key file itself is reported by the key checks.
    }
  }
  return findings;
}
