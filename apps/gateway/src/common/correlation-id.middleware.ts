import type { NextFunction, Request, Response } from 'express';
import { correlationIdFrom } from '@ketenpoort/logging';

/**
 * Takes a well-formed `X-Correlation-Id` or makes one, and echoes it on the answer. Runs first on both
 * listeners, so a request refused before routing has one too.
 */
export function correlationId(
  req: Request & { correlationId?: string },
  res: Response,
  next: NextFunction,
): void {
  req.correlationId = correlationIdFrom(req.header('x-correlation-id'));
  res.setHeader('X-Correlation-Id', req.correlationId);
  next();
}
