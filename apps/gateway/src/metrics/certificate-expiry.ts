import { X509Certificate } from 'node:crypto';

/** Seconds until the certificate's notAfter (negative once expired); null when the PEM does not parse. */
export function secondsUntilExpiry(certPem: string, now: Date = new Date()): number | null {
  try {
    return (new Date(new X509Certificate(certPem).validTo).getTime() - now.getTime()) / 1000;
  } catch {
    return null;
  }
}

/** The common name of a certificate's subject (a CA's name when the partner table gives none). */
export function subjectCommonName(certPem: string): string | null {
  try {
    return /(?:^|\n)CN=([^\n]+)/.exec(new X509Certificate(certPem).subject)?.[1] ?? null;
  } catch {
    return null;
  }
}
