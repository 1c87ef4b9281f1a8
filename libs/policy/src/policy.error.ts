/** Stable error codes of the policy library; apps map them to HTTP statuses (403 for refusals) or exit codes. */
export const POLICY_ERROR_CODES = [
  'POLICY.INVALID',
  'POLICY.PURPOSE_UNKNOWN',
  'POLICY.NO_GROUND',
  'POLICY.CONSENT_REQUIRED',
  'POLICY.GUARDIAN_CONSENT_REQUIRED',
  'POLICY.TRANSFORM_FAILED',
] as const;
export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

/** One problem found in a policy document: where it is and what is wrong, never a signal value. */
export interface PolicyProblem {
  line: number;
  path: string;
  message: string;
}

/**
 * Domain error of the policy library, with a stable string `code`.
 * Messages name files, lines, policy paths and signal field names only — never submitted values.
 *
 * @example
 * throw new PolicyError('POLICY.CONSENT_REQUIRED', "purpose 'registration' needs consent", 'consent.status');
 */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    /** The signal field (evaluation) or policy path (loading) the error is about. */
    readonly field?: string,
    /** Every problem found when loading a policy (`POLICY.INVALID`); the message lists them all. */
    readonly problems: readonly PolicyProblem[] = [],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
