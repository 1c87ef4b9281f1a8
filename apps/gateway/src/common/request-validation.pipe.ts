import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { GatewayError } from './gateway-error.js';

/** One refused field of a request body: its path and why, never the submitted value. */
export interface RequestFieldError {
  path: string;
  reasons: string[];
}

/** Flattens class-validator errors into paths and reasons; values are never copied. */
export function toRequestFieldErrors(errors: readonly ValidationError[], prefix = ''): RequestFieldError[] {
  const out: RequestFieldError[] = [];
  for (const error of errors) {
    const property = error.property === 'body' && !prefix ? '' : error.property;
    const path = !prefix
      ? property
      : /^\d+$/.test(property)
        ? `${prefix}[${property}]`
        : `${prefix}.${property}`;
    if (error.constraints) {
      const unknown = 'whitelistValidation' in error.constraints;
      out.push({
        path,
        reasons: unknown ? ['is not an accepted field'] : Object.values(error.constraints),
      });
    }
    if (error.children?.length) out.push(...toRequestFieldErrors(error.children, path));
  }
  return out;
}

/**
 * Validation at the edge for admin request bodies (STYLE rule 12), applied per route so that the signal
 * intake keeps its own validation (SignalValidationPipe). Refusals are `REQUEST.INVALID` (400) with field
 * paths and reasons; the submitted values are neither kept on the errors nor answered.
 *
 * @example async propose(@Body(new RequestValidationPipe()) body: ProposeVersionRequestDto) { … }
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) =>
        new GatewayError('REQUEST.INVALID', 'the request body does not match', toRequestFieldErrors(errors)),
    });
  }
}
