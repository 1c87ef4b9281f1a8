/**
 * An error the gateway answers with. `code` is stable and mapped to HTTP in one place
 * (GlobalExceptionFilter); `details` carry field paths and reasons, never submitted values.
 */
export class GatewayError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** HTTP status per error code; codes not listed here are 500. */
export const ERROR_STATUS: Record<string, number> = {
  'SIGNAL.INVALID': 400,
  'SIGNAL.UNSUPPORTED_MEDIA_TYPE': 415,
  'SIGNAL.TOO_LARGE': 413,
  'SIGNAL.ID_CONFLICT': 409,
  'SIGNAL.NOT_FOUND': 404,
  'PARTNER.UNKNOWN': 403,
  'PARTNER.NO_CERTIFICATE': 401,
  'PARTNER.RATE_LIMITED': 429,
  'PKI.CERT_REVOKED': 401,
  'PKI.CRL_MISSING': 401,
  'POLICY.PURPOSE_NOT_ALLOWED': 403,
  'POLICY.PURPOSE_UNKNOWN': 403,
  'POLICY.NO_GROUND': 403,
  'POLICY.CONSENT_REQUIRED': 403,
  'POLICY.GUARDIAN_CONSENT_REQUIRED': 403,
  'POLICY.TRANSFORM_FAILED': 422,
  'DATABASE.UNAVAILABLE': 503,
  'AUDIT.WRITE_FAILED': 503,
  'HTTP.NOT_FOUND': 404,
  'AUTH.TOKEN_MISSING': 401,
  'AUTH.TOKEN_INVALID': 401,
  'AUTH.ROLE_MISSING': 403,
  'AUTH.SCOPE': 403,
  'GOVERNANCE.FOUR_EYES': 403,
  'GOVERNANCE.NOT_FOUND': 404,
  'GOVERNANCE.INVALID_DOCUMENT': 400,
  'GOVERNANCE.INVALID_TRANSITION': 409,
  'POLICY.NONE_ACTIVE': 503,
  'EXPLAIN.INVALID': 400,
  'AUDIT.NOT_YET_CHECKPOINTED': 409,
  'HTTP.BAD_REQUEST': 400,
};
