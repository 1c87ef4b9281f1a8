/** Stable error codes of the pseudonymisation library; apps map them to HTTP statuses or exit codes. */
export const PSEUDO_ERROR_CODES = [
  'PSEUDO.KEYRING_INVALID',
  'PSEUDO.KEY_FILE_INSECURE',
  'PSEUDO.KEY_FILE_EXISTS',
  'PSEUDO.KEY_FILE_UNREADABLE',
  'PSEUDO.KEY_VERSION_UNKNOWN',
  'PSEUDO.RECIPIENT_INVALID',
  'PSEUDO.KIND_INVALID',
  'PSEUDO.INPUT_INVALID',
] as const;
export type PseudonymisationErrorCode = (typeof PSEUDO_ERROR_CODES)[number];

/**
 * Domain error of the pseudonymisation library, with a stable string `code`.
 * Messages name files, versions and field names only — never key material or submitted values.
 *
 * @example
 * throw new PseudonymisationError('PSEUDO.KEY_VERSION_UNKNOWN', 'key version 3 is not in the key ring');
 */
export class PseudonymisationError extends Error {
  constructor(
    readonly code: PseudonymisationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PseudonymisationError';
  }
}
