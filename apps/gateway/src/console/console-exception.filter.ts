import { ArgumentsHost, Catch, type ExceptionFilter, Inject, type LoggerService } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ERROR_STATUS, GatewayError } from '../common/gateway-error.js';
import { GATEWAY_LOGGER } from '../common/tokens.js';
import { ConsoleSignInRequired } from './auth/console-auth.js';
import { readCookies, sendPage } from './console-http.js';
import { labels, languageOf } from './console-i18n.js';
import { errorPage } from './console-layout.js';

/** Console codes on top of the gateway's map. */
const CONSOLE_STATUS: Record<string, number> = {
  'CONSOLE.OFF': 404,
  'CONSOLE.BAD_FORM': 400,
  'CONSOLE.CSRF': 403,
  'CONSOLE.SIGN_IN_FAILED': 400,
  'CONSOLE.ISSUER_UNAVAILABLE': 503,
  'CONSOLE.NOT_FOUND': 404,
};

/** Console errors as HTML pages in the user's language; messages name codes and fields, never values. */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  constructor(@Inject(GATEWAY_LOGGER) private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { correlationId?: string }>();
    const response = http.getResponse<Response>();
    const language = languageOf(request);
    const t = labels(language);
    const ctx = { language, t, path: '/console' };
    if (exception instanceof ConsoleSignInRequired) {
      response.redirect(303, `/console/signin?returnTo=${encodeURIComponent(exception.returnTo)}`);
      return;
    }
    if (exception instanceof GatewayError) {
      const status = CONSOLE_STATUS[exception.code] ?? ERROR_STATUS[exception.code];
      if (status) {
        sendPage(response, errorPage(ctx, exception.message, exception.code), status);
        return;
      }
    }
    const errorId = randomUUID();
    this.logger.error(
      {
        msg: 'console: unexpected error',
        errorId,
        correlationId: request.correlationId ?? null,
        errorCode: (exception as { code?: string })?.code ?? (exception as Error)?.name ?? null,
        hasSession: !!readCookies(request)['__Host-kp_console_session'],
      },
      undefined,
      'Console',
    );
    sendPage(response, errorPage(ctx, `${t.errorTitle} (${errorId})`), 500);
  }
}
