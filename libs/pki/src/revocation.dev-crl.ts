import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDevCa } from './dev-pki.bootstrap.js';
import { writeCertificateFile } from './private-key-file.js';
import { createCrl, parseCrl } from './revocation-list.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a dev CRL is valid; it is re-signed at start once less than half of that remains. */
const DEV_CRL_VALID_DAYS = 30;

/** `<dataDir>/pki/ca.crl`: the dev CA's CRL. */
export function devCrlPath(dataDir: string): string {
  return join(dataDir, 'pki', 'ca.crl');
}

/**
 * Dev mode: makes sure the dev CA has a current CRL (empty at first); re-signs it, keeping its entries,
 * when it expires within 15 days. Returns its path.
 *
 * @example
 * const crlPath = ensureDevCrl(dataDir); // <dataDir>/pki/ca.crl
 */
export function ensureDevCrl(dataDir: string, now: Date = new Date()): string {
  const path = devCrlPath(dataDir);
  const existing = existsSync(path) ? parseCrl(readFileSync(path, 'utf8')) : null;
  const fresh =
    existing?.nextUpdate && existing.nextUpdate.getTime() - now.getTime() > (DEV_CRL_VALID_DAYS / 2) * DAY_MS;
  if (!fresh) writeDevCrl(dataDir, existing?.revokedSerials ?? [], now);
  return path;
}

/**
 * Dev mode: adds a certificate to the dev CA's CRL (re-signed, next CRL number). The running gateway
 * picks it up on its next CRL refresh or `reloadRevocations()`.
 *
 * @example
 * revokeInDevCrl(dataDir, readFileSync(paths.partners.kmar.cert, 'utf8'));
 */
export function revokeInDevCrl(dataDir: string, certPem: string, now: Date = new Date()): string {
  const path = devCrlPath(dataDir);
  const serials = existsSync(path) ? parseCrl(readFileSync(path, 'utf8')).revokedSerials : [];
  const serial = new X509Certificate(certPem).serialNumber;
  writeDevCrl(dataDir, [...new Set([...serials, serial])], now);
  return path;
}

function writeDevCrl(dataDir: string, serials: string[], now: Date): void {
  const path = devCrlPath(dataDir);
  const previous = existsSync(path) ? parseCrl(readFileSync(path, 'utf8')).crlNumber : null;
  const thisUpdate = new Date(now.getTime() - 60_000);
  const crl = createCrl(readDevCa(dataDir), serials, {
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + DEV_CRL_VALID_DAYS * DAY_MS),
    crlNumber: Math.max((previous ?? 0) + 1, 1),
  });
  writeCertificateFile(path, crl);
}
