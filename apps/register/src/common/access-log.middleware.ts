import type { LoggerService } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { logWhenAnswered, type AccessLogLevel } from '@ketenpoort/logging';
import { CLIENT_NAME } from '../auth/gateway-client.guard.js';
import type { CorrelatedRequest } from './correlation-id.middleware.js';
import { LISTENER, type ListenerName } from './listener.js';

type AccessRequest = CorrelatedRequest & {
  route?: { path?: unknown };
  [LISTENER]?: ListenerName;
  [CLIENT_NAME]?: string;
};

/**
 * One access line per request on both listeners, written when the answer is out (or the connection gone):
 * correlation id, listener, method, the route pattern that answered, status, duration and the client
 * certificate's name when known. Never a header, a body, a query string or the path as sent.
 */
export function accessLog(logger: LoggerService, level: AccessLogLevel) {
  return (req: AccessRequest, res: ServerResponse, next: () => void): void => {
    logWhenAnswered(logger, level, res, () => ({
      correlationId: req.correlationId ?? null,
      listener: req[LISTENER] ?? 'unknown',
      method: req.method ?? 'unknown',
      route: typeof req.route?.path === 'string' ? req.route.path : 'unmatched',
      ...(req[CLIENT_NAME] ? { client: req[CLIENT_NAME] } : {}),
    }));
    next();
  };
}
