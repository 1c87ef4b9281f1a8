import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OnListener } from '../common/listener.js';
import { GatewayPrometheusRegistry } from './gateway-prometheus.registry.js';

/** `GET /metrics` on the admin listener: Prometheus exposition; labels hold ids and codes, no personal data. */
@Controller('metrics')
@OnListener('admin')
export class MetricsHttpController {
  constructor(private readonly prometheus: GatewayPrometheusRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.prometheus.contentType);
    return this.prometheus.scrape();
  }
}
