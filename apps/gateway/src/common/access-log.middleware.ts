import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { accessLogEnabled, type AccessLogLevel, writeAccessLine } from '@ketenpoort/logging';
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
    if (!accessLogEnabled(logger, level)) return next();
    const started = performance.now();
    res.once('close', () =>
      writeAccessLine(logger, level, {
        correlationId: req.correlationId ?? null,
        listener: req[LISTENER] ?? 'unknown',
        method: req.method,
        route: typeof req.route?.path === 'string' ? req.route.path : 'unmatched',
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ...(req.partner ? { partnerId: req.partner.partner.id } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      }),
    );
    next();
  };
}
