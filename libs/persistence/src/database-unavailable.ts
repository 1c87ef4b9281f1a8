/** Node socket errors that mean the server cannot be reached (now). */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server going away or not accepting work: 57P01 admin_shutdown (restart, pg_terminate_backend),
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up / shutting down), 53300 too_many_connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Messages `pg` / `pg-pool` use for broken connections (they carry no code). */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /connection is not queryable/i,
  /cannot use a pool after calling end/i,
  /server closed the connection unexpectedly/i,
  // TypeORM, when the connection died under a transaction: its rollback finds no transaction or runner.
  /transaction is not started/i,
  /query runner already released/i,
  /driver not connected/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/**
 * True when an error means "the database is unreachable or restarting" rather than a bug or bad data, so an
 * app can answer 503 (retry later) instead of 500. Looks through TypeORM's `driverError`, `cause` chains and
 * `AggregateError.errors`. SQLSTATE class 08 (connection exception) also counts.
 *
 * @example
 * catch (e) { if (isDatabaseUnavailableError(e)) throw new ServiceUnavailableException(); throw e; }
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return visit(error, 0);
}

function visit(error: unknown, depth: number): boolean {
  if (depth > 8 || error === null || typeof error !== 'object') return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof e.code === 'string') {
    if (
      UNAVAILABLE_ERRNO.has(e.code) ||
      UNAVAILABLE_SQLSTATES.has(e.code) ||
      /^08[0-9A-Z]{3}$/.test(e.code)
    ) {
      return true;
    }
  }
  if (
    typeof e.message === 'string' &&
    UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e.message as string))
  ) {
    return true;
  }
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => inner !== error && visit(inner, depth + 1));
}
