/** One refused field, by path: never the submitted value. */
export interface FieldError {
  path: string;
  reasons: string[];
}

export const REGISTER_ERROR_CODES = [
  'RECORD.SIGNATURE_INVALID',
  'RECORD.INVALID',
  'WITNESS.INCONSISTENT',
  'RECORD.CONFLICT',
  'INTAKE.CLIENT_NOT_ALLOWED',
  'AUTH.TOKEN_MISSING',
  'AUTH.TOKEN_INVALID',
  'AUTH.ROLE_MISSING',
  'REQUEST.INVALID',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  'REQUEST.TOO_LARGE',
  'NOT_FOUND',
] as const;
export type RegisterErrorCode = (typeof REGISTER_ERROR_CODES)[number];

/** An expected refusal with a stable `code`; the global exception filter maps codes to HTTP. */
export class RegisterError extends Error {
  constructor(
    readonly code: RegisterErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'RegisterError';
  }
}
