import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The correlation id of a request: the caller's `X-Correlation-Id` when it is a UUID (lower-cased), else a
 * new one. Anything else a caller sends there is dropped, so a header cannot carry data into the logs.
 *
 * @example correlationIdFrom(req.headers['x-correlation-id'])
 */
export function correlationIdFrom(given: unknown): string {
  return typeof given === 'string' && UUID.test(given) ? given.toLowerCase() : randomUUID();
}
