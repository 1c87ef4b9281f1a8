import { PseudonymisationError } from '../pseudonymisation.error.js';

/** A recipient domain name: lower-case letters, digits and inner hyphens, so it can never contain a `.`. */
export const RECIPIENT_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * Throws `PSEUDO.RECIPIENT_INVALID` unless `recipient` is a valid recipient domain name.
 *
 * @example
 * assertRecipient('gateway-idempotency'); // ok
 */
export function assertRecipient(recipient: string): void {
  if (typeof recipient !== 'string' || !RECIPIENT_PATTERN.test(recipient)) {
    throw new PseudonymisationError(
      'PSEUDO.RECIPIENT_INVALID',
      'recipient must be lower-case letters, digits and inner hyphens (1-64 characters)',
    );
  }
}
