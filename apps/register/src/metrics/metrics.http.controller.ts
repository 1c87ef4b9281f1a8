import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ListenerGuard, OnListener } from '../common/listener.js';
import { RegisterPrometheusRegistry } from './register-prometheus.registry.js';

/** `GET /metrics` on the API listener: Prometheus exposition of counts and outcome codes. */
@Controller('metrics')
@OnListener('api')
@UseGuards(ListenerGuard)
export class MetricsHttpController {
  constructor(private readonly prometheus: RegisterPrometheusRegistry) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.prometheus.contentType);
    return this.prometheus.scrape();
  }
}
