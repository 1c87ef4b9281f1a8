import canonicalize from 'canonicalize';
import { hmacSha256 } from './crypto/hmac-sha256.js';
import type { KeyRing } from './key-ring/key-ring.js';
import { PseudonymisationError } from './pseudonymisation.error.js';

/** The recipient domain whose key keys body digests. */
export const IDEMPOTENCY_RECIPIENT = 'gateway-idempotency';

/**
 * Keyed digest (hex HMAC-SHA-256 under recipient key 'gateway-idempotency') of the RFC 8785 canonical JSON of
 * a value, to tell "same body again" from "other body, same id" without storing the body. Key order does not
 * matter. Pass the version a stored digest was made under to compare across a key rotation.
 *
 * @example
 * bodyDigest(ring, { a: 1, b: 2 }) === bodyDigest(ring, { b: 2, a: 1 }); // true
 */
export function bodyDigest(
  keyRing: KeyRing,
  value: unknown,
  version: number = keyRing.currentVersion,
): string {
  let json: string | undefined;
  try {
    json = canonicalize(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    throw new PseudonymisationError('PSEUDO.INPUT_INVALID', 'value cannot be serialised as canonical JSON');
  }
  return hmacSha256(keyRing.recipientKey(IDEMPOTENCY_RECIPIENT, version), json).toString('hex');
}
