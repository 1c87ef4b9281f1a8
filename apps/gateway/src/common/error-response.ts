import { HttpException, type LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDatabaseUnavailableError } from '@ketenpoort/persistence';
import { ERROR_STATUS, GatewayError } from './gateway-error.js';

export interface ErrorResponse {
  status: number;
  body: { error: string; message: string; details?: unknown; errorId?: string };
  headers: Record<string, string>;
}

const BODY_PARSER_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.too.large': { code: 'SIGNAL.TOO_LARGE', message: 'the body is larger than allowed' },
  'entity.parse.failed': { code: 'HTTP.BAD_REQUEST', message: 'the body is not valid JSON' },
  'encoding.unsupported': { code: 'HTTP.BAD_REQUEST', message: 'the body encoding is not supported' },
  'charset.unsupported': { code: 'HTTP.BAD_REQUEST', message: 'the body charset is not supported' },
  'request.aborted': { code: 'HTTP.BAD_REQUEST', message: 'the request was aborted' },
  'request.size.invalid': { code: 'HTTP.BAD_REQUEST', message: 'the body length does not match' },
  'stream.encoding.set': { code: 'HTTP.BAD_REQUEST', message: 'the body could not be read' },
  'body.not.utf8': { code: 'HTTP.BAD_REQUEST', message: 'the body is not valid UTF-8' },
};

/**
 * Maps any error to an HTTP answer. Messages are fixed texts chosen here or by the code that threw a
 * GatewayError — never the message of a parser or driver, which may quote the submitted body.
 */
export function toErrorResponse(
  error: unknown,
  logger: LoggerService,
  correlationId?: string,
): ErrorResponse {
  if (error instanceof GatewayError) {
    const status = ERROR_STATUS[error.code] ?? 500;
    const headers: Record<string, string> = status === 503 ? { 'Retry-After': '5' } : {};
    const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
    return { status, headers, body: { error: error.code, message: error.message, details: error.details } };
  }
  // Nest hands body-parser errors on as an HttpException whose `cause` is the parser's error.
  const cause = error instanceof HttpException ? (error as { cause?: unknown }).cause : undefined;
  const type = (error as { type?: unknown })?.type ?? (cause as { type?: unknown } | undefined)?.type;
  if (typeof type === 'string' && BODY_PARSER_ERRORS[type]) {
    const mapped = BODY_PARSER_ERRORS[type];
    return {
      status: ERROR_STATUS[mapped.code],
      headers: {},
      body: { error: mapped.code, message: mapped.message },
    };
  }
  if (isDatabaseUnavailableError(error)) {
    logger.warn({ msg: 'database unavailable', correlationId }, 'Errors');
    return {
      status: 503,
      headers: { 'Retry-After': '5' },
      body: {
        error: 'DATABASE.UNAVAILABLE',
        message: 'the gateway cannot store signals right now; retry later',
      },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      const code = status === 404 ? 'HTTP.NOT_FOUND' : `HTTP.${status}`;
      return {
        status,
        headers: {},
        body: { error: code, message: status === 404 ? 'not found' : 'request refused' },
      };
    }
  }
  const errorId = randomUUID();
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown })?.code;
  // The error's message may hold data from a driver or parser; log only its class and code.
  logger.error(
    { msg: 'unhandled error', errorId, correlationId, errorName: name, errorCode: code ?? null },
    'Errors',
  );
  return { status: 500, headers: {}, body: { error: 'INTERNAL', message: 'internal error', errorId } };
}
