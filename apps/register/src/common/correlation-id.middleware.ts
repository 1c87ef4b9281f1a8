import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlationIdFrom } from '@ketenpoort/logging';

export type CorrelatedRequest = IncomingMessage & { correlationId?: string };

/**
 * Takes the gateway's well-formed `X-Correlation-Id` (the delivery's, also in the gateway's log) or makes
 * one, and echoes it on the answer; the access line and the record handlers use it.
 */
export function correlationId(req: CorrelatedRequest, res: ServerResponse, next: () => void): void {
  req.correlationId = correlationIdFrom(req.headers['x-correlation-id']);
  res.setHeader('X-Correlation-Id', req.correlationId);
  next();
}
