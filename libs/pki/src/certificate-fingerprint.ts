import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { PkiError } from './pki.error.js';

/**
 * SHA-256 fingerprint of a certificate's DER encoding, lower-case hex without colons.
 * Accepts a PEM string or DER bytes.
 *
 * @example
 * certificateFingerprint(ca.certPem); // 'a3f1…' (64 hex characters)
 */
export function certificateFingerprint(certPemOrDer: string | Buffer): string {
  return createHash('sha256').update(certificateDer(certPemOrDer)).digest('hex');
}

/** DER bytes of a certificate given as PEM or DER. */
export function certificateDer(certPemOrDer: string | Buffer): Buffer {
  if (Buffer.isBuffer(certPemOrDer)) return certPemOrDer;
  const blocks = pemBlocks(certPemOrDer);
  const first = blocks.find((block) => block.type === 'CERTIFICATE');
  if (!first) throw new PkiError('PKI.CERT_INVALID', 'no PEM CERTIFICATE block found');
  return first.der;
}

function pemBlocks(pem: string): { type: string; der: Buffer }[] {
  try {
    return forge.pem.decode(pem).map((msg) => ({ type: msg.type, der: Buffer.from(msg.body, 'binary') }));
  } catch {
    throw new PkiError('PKI.CERT_INVALID', 'not a valid PEM document');
  }
}
