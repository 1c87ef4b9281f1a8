import { Controller, Get, Header, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListenerGuard, OnListener } from '../common/listener.js';
import { RegisterCountsReadModel } from '../metrics/infrastructure/register-counts.read-model.js';

const CHECK_TIMEOUT_MS = 3_000;

/**
 * `GET /health/live` and `GET /health/ready` on the API listener, without authentication: check states
 * only. Ready means the database answers (the keys and certificates were checked at start).
 */
@Controller('health')
@OnListener('api')
@UseGuards(ListenerGuard)
@ApiTags('operations')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readModel: RegisterCountsReadModel,
  ) {}

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
  @ApiOperation({ summary: 'readiness: the database answers' })
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return answer(
      res,
      this.health.check([
        () =>
          this.indicators
            .check('database')
            .attempt(() => this.readModel.ping())
            .withTimeout(CHECK_TIMEOUT_MS),
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
