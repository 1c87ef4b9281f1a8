import { ArgumentsHost, Catch, type ExceptionFilter, Inject, type LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorResponse } from './error-response.js';
import { GATEWAY_LOGGER } from './tokens.js';

/** The one place where error codes become HTTP answers. */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  constructor(@Inject(GATEWAY_LOGGER) private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { correlationId?: string }>();
    const response = http.getResponse<Response>();
    const { status, body, headers } = toErrorResponse(exception, this.logger, request.correlationId);
    response.status(status).set(headers).json(body);
  }
}
