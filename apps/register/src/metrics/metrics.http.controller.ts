import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListenerGuard, OnListener } from '../common/listener.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { RegisterPrometheusRegistry } from './register-prometheus.registry.js';

/** `GET /metrics` on the API listener: Prometheus exposition of counts and outcome codes. */
@Controller('metrics')
@OnListener('api')
@ApiTags('operations')
@UseGuards(ListenerGuard)
export class MetricsHttpController {
  constructor(private readonly prometheus: RegisterPrometheusRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (no authentication; counts and outcome codes only)' })
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP ketenpoort_register_records Records stored in the register\n# TYPE ketenpoort_register_records gauge\nketenpoort_register_records 12\n',
      },
    },
  })
  @ApiErrors({ 404: '`NOT_FOUND`: only the API listener serves it' })
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.prometheus.contentType);
    return this.prometheus.scrape();
  }
}
