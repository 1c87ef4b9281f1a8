import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** The statuses the gateway refuses with (ERROR_STATUS in common/gateway-error.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** Per status, which codes an operation answers with and when. */
export type ErrorDescriptions = Partial<Record<ErrorStatus, string>>;

/** The shared error shape, added to the document's components by gatewayOpenApi. */
export const ERROR_REF = '#/components/schemas/Error';

/** Refusals of every partner endpoint (mutual TLS, per-partner rate limit). */
export const PARTNER_ERRORS = {
  401: '`PARTNER.NO_CERTIFICATE`, `PKI.CERT_REVOKED`, `PKI.CRL_MISSING`: no trusted client certificate, or it is revoked',
  403: '`PARTNER.UNKNOWN`: the certificate belongs to no configured partner',
  429: '`PARTNER.RATE_LIMITED`: too many requests; retry after `Retry-After` seconds',
} as const satisfies ErrorDescriptions;

/** Refusals of every admin endpoint (bearer token with roles). */
export const ADMIN_ERRORS = {
  401: '`AUTH.TOKEN_MISSING`, `AUTH.TOKEN_INVALID`: no bearer token, or it is invalid or expired',
  403: '`AUTH.ROLE_MISSING`: the token lacks the role this operation needs',
} as const satisfies ErrorDescriptions;

/**
 * Documents an operation's (or, on a controller, every operation's) error answers with the shared error
 * schema; a later status on a method replaces the controller's description of it.
 *
 * @example @ApiErrors({ ...PARTNER_ERRORS, 404: '`SIGNAL.NOT_FOUND`: no signal with this id from this partner' })
 */
export function ApiErrors(errors: ErrorDescriptions): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: { $ref: ERROR_REF } }),
    ),
  );
}
