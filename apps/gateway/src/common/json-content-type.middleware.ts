import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from './gateway-error.js';

/** A signal is JSON: anything else is 415 before it reaches a parser or a guard. */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(req.header('content-type') ?? '')) {
    next(new GatewayError('SIGNAL.UNSUPPORTED_MEDIA_TYPE', 'send the signal as application/json'));
    return;
  }
  next();
}
