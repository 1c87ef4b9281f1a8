/**
 * Domain error of the audit library, with a stable string `code` the apps map to HTTP or exit codes.
 * Messages name indexes, sizes and key ids only — never entry contents or subject tokens.
 *
 * @example
 * throw new AuditError('AUDIT.INCONSISTENT_CHECKPOINT', 'checkpoint 120 does not extend checkpoint 100');
 */
export class AuditError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuditError';
  }
}
