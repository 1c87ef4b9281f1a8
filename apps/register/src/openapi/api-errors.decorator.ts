import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

/** The statuses the register refuses with (the global exception filter's map). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503;

/** Per status, which codes an operation answers with and when. */
export type ErrorDescriptions = Partial<Record<ErrorStatus, string>>;

/** The register's error shape, added to the document's components by registerOpenApi. */
export const ERROR_REF = '#/components/schemas/Error';

/** The register's error shape: `{ code, message, fields?, errorId? }`, never a submitted value. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', example: 'RECORD.INVALID', description: 'stable error code' },
    message: { type: 'string', example: 'the record is invalid' },
    fields: {
      type: 'array',
      description: 'refused fields by path, with reasons',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string', example: 'data.subject.birthYear' },
          reasons: { type: 'array', items: { type: 'string' }, example: ['birthYear must not be greater than 2200'] },
        },
      },
    },
    errorId: {
      type: 'string',
      format: 'uuid',
      description: 'only on 500 and 503: the id under which the details were logged',
    },
  },
} as const;

/** Refusals of the intake listener (mutual TLS: the gateway's client certificate only). */
export const INTAKE_ERRORS = {
  403: "`INTAKE.CLIENT_NOT_ALLOWED`: the client certificate is not the gateway's",
  404: '`NOT_FOUND`: only the intake listener serves it',
} as const satisfies ErrorDescriptions;

/** Refusals of the API listener's bearer-token endpoints. */
export const BEARER_ERRORS = {
  401: '`AUTH.TOKEN_MISSING`, `AUTH.TOKEN_INVALID`: no bearer token, or it is invalid or expired',
  403: '`AUTH.ROLE_MISSING`: the token lacks the role this operation needs',
} as const satisfies ErrorDescriptions;

/**
 * Documents an operation's (or, on a controller, every operation's) error answers with the register's error
 * schema; a later status on a method replaces the controller's description of it.
 *
 * @example @ApiErrors({ ...BEARER_ERRORS, 400: '`REQUEST.INVALID`: year or rule is missing or malformed' })
 */
export function ApiErrors(errors: ErrorDescriptions): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: { $ref: ERROR_REF } }),
    ),
  );
}
