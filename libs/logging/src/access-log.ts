/** The level each request's access line is written at; `off` writes none. */
export type AccessLogLevel = 'log' | 'debug' | 'verbose' | 'off';
export const ACCESS_LOG_LEVELS: readonly AccessLogLevel[] = ['log', 'debug', 'verbose', 'off'];
export const DEFAULT_ACCESS_LOG_LEVEL: AccessLogLevel = 'log';

/** The `msg` of every access line. */
export const ACCESS_LOG_MESSAGE = 'request';

export const isAccessLogLevel = (value: unknown): value is AccessLogLevel =>
  ACCESS_LOG_LEVELS.includes(value as AccessLogLevel);

/** One request as the access log records it: ids, codes and numbers; never a header, body, query or path. */
export interface AccessLine {
  /** The request's correlation id (also in its audit entries and forwarded record); null if it got none. */
  correlationId: string | null;
  listener: string;
  method: string;
  /** The route pattern that answered (`/v1/signals/:signalId`), or `unmatched`: never the path as sent. */
  route: string;
  status: number;
  durationMs: number;
  /** The partner its certificate names (gateway), when the request got that far. */
  partnerId?: string;
  /** The client certificate's name (register intake), when the request got that far. */
  client?: string;
  /** The connection closed before the answer was complete. */
  aborted?: true;
}

/** The part of Nest's `LoggerService` the access log uses. */
export interface AccessLogger {
  log(message: unknown, ...rest: unknown[]): unknown;
  debug?(message: unknown, ...rest: unknown[]): unknown;
  verbose?(message: unknown, ...rest: unknown[]): unknown;
  isLevelEnabled?(level: 'log' | 'debug' | 'verbose'): boolean;
}

/** Whether an access line at `level` would be written (so a request need not be timed when not). */
export function accessLogEnabled(logger: AccessLogger, level: AccessLogLevel): boolean {
  return level !== 'off' && (logger.isLevelEnabled?.(level) ?? true);
}

/**
 * Writes one access line (`msg` "request", context `Access`).
 *
 * @example writeAccessLine(logger, 'log', { correlationId, listener: 'partner', method: 'POST', route: '/v1/signals', status: 202, durationMs: 4.1 })
 */
export function writeAccessLine(logger: AccessLogger, level: AccessLogLevel, line: AccessLine): void {
  if (level === 'off') return;
  logger[level]?.({ msg: ACCESS_LOG_MESSAGE, ...line }, 'Access');
}

/** What the access log reads of a response (Node's `ServerResponse` fits). */
export interface AnsweredResponse {
  statusCode: number;
  writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Times a request from now and writes its access line when the response closes: status, duration, and
 * `aborted` when the connection went before the answer was complete. `describe` is read at that moment,
 * so it sees what the request learnt on its way (its route, its partner).
 *
 * @example logWhenAnswered(logger, 'log', res, () => ({ correlationId, listener: 'partner', method, route }))
 */
export function logWhenAnswered(
  logger: AccessLogger,
  level: AccessLogLevel,
  res: AnsweredResponse,
  describe: () => Omit<AccessLine, 'status' | 'durationMs' | 'aborted'>,
): void {
  if (!accessLogEnabled(logger, level)) return;
  const started = performance.now();
  res.once('close', () =>
    writeAccessLine(logger, level, {
      ...describe(),
      status: res.statusCode,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(res.writableFinished ? {} : { aborted: true }),
    }),
  );
}
