import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OnListener } from '../common/listener.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { GatewayPrometheusRegistry } from './gateway-prometheus.registry.js';

/** `GET /metrics` on the admin listener: Prometheus exposition; labels hold ids and codes, no personal data. */
@Controller('metrics')
@OnListener('admin')
@ApiTags('operations')
export class MetricsHttpController {
  constructor(private readonly prometheus: GatewayPrometheusRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (no authentication; labels hold ids and codes, never personal data)',
  })
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP ketenpoort_gateway_outbox_dead_letters Outbox rows given up on (dead-lettered); each needs an operator\n# TYPE ketenpoort_gateway_outbox_dead_letters gauge\nketenpoort_gateway_outbox_dead_letters 0\n',
      },
    },
  })
  @ApiErrors({ 404: '`HTTP.NOT_FOUND`: only the admin listener serves it' })
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.prometheus.contentType);
    return this.prometheus.scrape();
  }
}
