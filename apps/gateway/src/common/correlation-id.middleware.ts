import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Takes a well-formed `X-Correlation-Id` or makes one, and echoes it on the answer. Runs first on both
 * listeners (so a request refused before routing has one too) and again as Nest middleware, which keeps it.
 */
export function correlationId(
  req: Request & { correlationId?: string },
  res: Response,
  next: NextFunction,
): void {
  if (req.correlationId) return next();
  const given = req.header('x-correlation-id');
  req.correlationId = given && UUID.test(given) ? given.toLowerCase() : randomUUID();
  res.setHeader('X-Correlation-Id', req.correlationId);
  next();
}
