import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CorrelatedRequest = IncomingMessage & { correlationId?: string };

/**
 * Takes the gateway's well-formed `X-Correlation-Id` (the delivery's, also in the gateway's log) or makes
 * one, and echoes it on the answer; the access line and the record handlers use it.
 */
export function correlationId(req: CorrelatedRequest, res: ServerResponse, next: () => void): void {
  const given = req.headers['x-correlation-id'];
  req.correlationId = typeof given === 'string' && UUID.test(given) ? given : randomUUID();
  res.setHeader('X-Correlation-Id', req.correlationId);
  next();
}
