import { ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { toFieldErrors } from '@ketenpoort/signal-contract';
import { GatewayError } from './gateway-error.js';

/**
 * Nest names the body as a whole `body` (a body that is not an object); the answer names it by the empty
 * path, like the signal's validation does, and its fields without a `body.` prefix.
 */
const bodyAsRoot = (error: ValidationError): ValidationError =>
  error.property === 'body' ? Object.assign(new ValidationError(), error, { property: '' }) : error;

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
        new GatewayError(
          'REQUEST.INVALID',
          'the request body does not match',
          toFieldErrors(errors.map(bodyAsRoot), '', 'is not an accepted field'),
        ),
    });
  }
}
