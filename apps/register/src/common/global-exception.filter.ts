import { randomUUID } from 'node:crypto';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  type LoggerService,
} from '@nestjs/common';
import { isDatabaseUnavailableError } from '@ketenpoort/persistence';
import { RegisterError, type FieldError, type RegisterErrorCode } from './register.error.js';

const STATUS_OF: Record<RegisterErrorCode, number> = {
  'RECORD.SIGNATURE_INVALID': HttpStatus.UNAUTHORIZED,
  'RECORD.INVALID': HttpStatus.BAD_REQUEST,
  'RECORD.CONFLICT': HttpStatus.CONFLICT,
  'WITNESS.INCONSISTENT': HttpStatus.CONFLICT,
  'INTAKE.CLIENT_NOT_ALLOWED': HttpStatus.FORBIDDEN,
  'AUTH.TOKEN_MISSING': HttpStatus.UNAUTHORIZED,
  'AUTH.TOKEN_INVALID': HttpStatus.UNAUTHORIZED,
  'AUTH.ROLE_MISSING': HttpStatus.FORBIDDEN,
  'REQUEST.INVALID': HttpStatus.BAD_REQUEST,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'REQUEST.TOO_LARGE': HttpStatus.PAYLOAD_TOO_LARGE,
  NOT_FOUND: HttpStatus.NOT_FOUND,
};

interface ErrorBody {
  code: string;
  message: string;
  fields?: FieldError[];
  errorId?: string;
}

interface HttpResponse {
  headersSent?: boolean;
  status(code: number): { json(body: unknown): unknown };
  setHeader(name: string, value: string): unknown;
}

/** A body-parser error (raw-body / http-errors): `type` like `entity.too.large`, a 4xx `status`. */
function bodyParserStatus(error: unknown): number | null {
  const e = error as { type?: unknown; status?: unknown; statusCode?: unknown };
  const status = typeof e?.status === 'number' ? e.status : e?.statusCode;
  return typeof e?.type === 'string' && typeof status === 'number' && status >= 400 && status < 500
    ? status
    : null;
}

/**
 * The one place errors become HTTP answers. Known codes map to their status with a fixed message; request
 * parsing errors become 400/413/415 without echoing the body; anything else is a 500 with an error id, the
 * details going only to the log.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const [status, body] = this.toAnswer(exception);
    if (response.headersSent) return;
    response.setHeader('Cache-Control', 'no-store');
    response.status(status).json(body);
  }

  private toAnswer(exception: unknown): [number, ErrorBody] {
    if (exception instanceof RegisterError) {
      const body: ErrorBody = { code: exception.code, message: exception.message };
      if (exception.fields) body.fields = exception.fields;
      return [STATUS_OF[exception.code], body];
    }
    const parserStatus = bodyParserStatus(exception);
    if (parserStatus !== null) return this.requestError(parserStatus);
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return this.requestError(exception.getStatus());
    }
    if (isDatabaseUnavailableError(exception)) {
      const errorId = randomUUID();
      this.logger.error(
        { message: 'database unavailable', errorId, error: describe(exception) },
        'GlobalExceptionFilter',
      );
      return [
        HttpStatus.SERVICE_UNAVAILABLE,
        { code: 'DATABASE.UNAVAILABLE', message: 'try again later', errorId },
      ];
    }
    const errorId = randomUUID();
    this.logger.error(
      { message: 'unexpected error', errorId, error: describe(exception) },
      'GlobalExceptionFilter',
    );
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL', message: 'internal error', errorId }];
  }

  private requestError(status: number): [number, ErrorBody] {
    if (status === HttpStatus.NOT_FOUND) return [status, { code: 'NOT_FOUND', message: 'not found' }];
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
      return [status, { code: 'REQUEST.TOO_LARGE', message: 'the request body is too large' }];
    }
    if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
      return [status, { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'unsupported request encoding' }];
    }
    if (status === HttpStatus.METHOD_NOT_ALLOWED)
      return [status, { code: 'REQUEST.METHOD', message: 'method not allowed' }];
    if (status === HttpStatus.BAD_REQUEST) {
      return [status, { code: 'REQUEST.INVALID', message: 'the request could not be read' }];
    }
    return [status, { code: 'REQUEST.REFUSED', message: 'the request was refused' }];
  }
}

/** Name, message and stack of an unexpected error: no request data is attached to these. */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}
