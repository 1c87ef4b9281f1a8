import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { OnListener } from '../common/listener.js';
import { GatewayReadinessIndicator } from './gateway-readiness.indicator.js';

/**
 * `GET /health/live` and `GET /health/ready` on the admin listener, without authentication: the answers
 * hold check states, versions and counts only. 200 when healthy, 503 with the same shape when not.
 */
@Controller('health')
@OnListener('admin')
@ApiTags('operations')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: GatewayReadinessIndicator,
  ) {}

  /** The process answers: no dependency is consulted (a restart would not fix them). */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  @ApiOperation({ summary: 'liveness: the process answers (no authentication)' })
  live(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return answer(res, this.health.check([]));
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  @HealthCheck()
  @ApiOperation({ summary: 'readiness: database, key ring, active policy, register reachable, outbox lag' })
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return answer(
      res,
      this.health.check([
        () => this.readiness.database(),
        () => this.readiness.keyRing(),
        () => this.readiness.policy(),
        () => this.readiness.register(),
        () => this.readiness.outbox(),
      ]),
    );
  }
}

/** Terminus throws a 503 exception; the answer keeps its body instead of the generic error shape. */
async function answer(res: Response, check: Promise<HealthCheckResult>): Promise<HealthCheckResult> {
  try {
    return await check;
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) throw error;
    res.status(503);
    return error.getResponse() as HealthCheckResult;
  }
}
