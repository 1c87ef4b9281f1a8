import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { LISTENER, type ListenerName } from '../common/listener.js';
import { GatewayPrometheusRegistry } from './gateway-prometheus.registry.js';

/**
 * Times every request on the partner listener. The route label is the route pattern Nest matched
 * (`/v1/signals/:signalId`), never the path a partner sent.
 */
@Injectable()
export class IntakeLatencyMiddleware implements NestMiddleware {
  constructor(private readonly prometheus: GatewayPrometheusRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if ((req as Request & { [LISTENER]?: ListenerName })[LISTENER] !== 'partner') return next();
    const stop = this.prometheus.intakeDuration.startTimer();
    res.once('finish', () => {
      const route = typeof req.route?.path === 'string' ? req.route.path : 'unmatched';
      stop({ route, method: req.method, status: String(res.statusCode) });
    });
    next();
  }
}
