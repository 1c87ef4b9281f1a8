import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { GatewayPrometheusRegistry } from './gateway-prometheus.registry.js';
import { OperationsReadModel } from './infrastructure/operations.read-model.js';
import { IntakeLatencyMiddleware } from './intake-latency.middleware.js';
import { MetricsHttpController } from './metrics.http.controller.js';

/** Prometheus metrics of one gateway app: `/metrics` on the admin listener, intake latency, gauges. */
@Module({})
export class GatewayMetricsModule implements NestModule {
  static forRoot(config: GatewayConfig, dataSource: DataSource): DynamicModule {
    return {
      module: GatewayMetricsModule,
      controllers: [MetricsHttpController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: DataSource, useValue: dataSource },
        OperationsReadModel,
        GatewayPrometheusRegistry,
        IntakeLatencyMiddleware,
      ],
      exports: [OperationsReadModel, GatewayPrometheusRegistry],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(IntakeLatencyMiddleware).forRoutes('*');
  }
}
