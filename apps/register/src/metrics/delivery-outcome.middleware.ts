import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { LISTENER, type ListenerName } from '../common/listener.js';
import { RegisterPrometheusRegistry } from './register-prometheus.registry.js';

const ERROR_CODE = /^[A-Z][A-Z0-9_.]{0,63}$/;

/**
 * Counts deliveries on the intake listener by outcome; a refusal is labelled with the error code the
 * register answered (guards, validation and storage alike), read from the answer — never from the request.
 */
@Injectable()
export class DeliveryOutcomeMiddleware implements NestMiddleware {
  constructor(private readonly prometheus: RegisterPrometheusRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if ((req as Request & { [LISTENER]?: ListenerName })[LISTENER] !== 'intake') return next();
    let answeredCode: string | undefined;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const code = (body as { code?: unknown } | null)?.code;
      if (typeof code === 'string') answeredCode = code;
      return json(body);
    };
    res.once('finish', () => {
      const status = res.statusCode;
      if (status === 201) this.prometheus.deliveries.inc({ outcome: 'stored', code: '' });
      else if (status === 200) this.prometheus.deliveries.inc({ outcome: 'replayed', code: '' });
      else {
        const code = answeredCode && ERROR_CODE.test(answeredCode) ? answeredCode : `HTTP_${status}`;
        this.prometheus.deliveries.inc({ outcome: 'refused', code });
      }
    });
    next();
  }
}
