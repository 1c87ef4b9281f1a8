/**
 * Domain error of the PKI library, with a stable string `code` the apps map to HTTP or exit codes.
 * Messages name files, config paths and ids only — never key material or certificate contents.
 *
 * @example
 * throw new PkiError('PKI.KEY_FILE_INSECURE', `${path} is readable by group or others`);
 */
export class PkiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PkiError';
  }
}
