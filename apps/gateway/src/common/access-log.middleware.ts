import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { logWhenAnswered, type AccessLogLevel } from '@ketenpoort/logging';
import type { AuthenticatedPartner } from '../partners/authenticated-partner.js';
import { LISTENER, type ListenerName } from './listener.js';

type AccessRequest = Request & {
  correlationId?: string;
  partner?: AuthenticatedPartner;
  [LISTENER]?: ListenerName;
};

/**
 * One access line per request on both listeners, written when the answer is out (or the connection gone):
 * correlation id, listener, method, the route pattern that answered, status, duration and the partner when
 * known. Never a header, a body, a query string or the path as sent (a path can carry anything).
 */
export function accessLog(logger: LoggerService, level: AccessLogLevel) {
  return (req: AccessRequest, res: Response, next: NextFunction): void => {
    logWhenAnswered(logger, level, res, () => ({
      correlationId: req.correlationId ?? null,
      listener: req[LISTENER] ?? 'unknown',
      method: req.method,
      route: typeof req.route?.path === 'string' ? req.route.path : 'unmatched',
      ...(req.partner ? { partnerId: req.partner.partner.id } : {}),
    }));
    next();
  };
}
