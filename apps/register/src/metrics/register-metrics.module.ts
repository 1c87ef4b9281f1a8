import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListenerGuard } from '../common/listener.js';
import { DeliveryOutcomeMiddleware } from './delivery-outcome.middleware.js';
import { RegisterCountsReadModel } from './infrastructure/register-counts.read-model.js';
import { MetricsHttpController } from './metrics.http.controller.js';
import { RegisterPrometheusRegistry } from './register-prometheus.registry.js';

/** Prometheus metrics of one register app: `/metrics` on the API listener, delivery outcomes, counts. */
@Module({})
export class RegisterMetricsModule implements NestModule {
  static forRoot(dataSource: DataSource): DynamicModule {
    return {
      module: RegisterMetricsModule,
      controllers: [MetricsHttpController],
      providers: [
        { provide: DataSource, useValue: dataSource },
        RegisterCountsReadModel,
        RegisterPrometheusRegistry,
        DeliveryOutcomeMiddleware,
        ListenerGuard,
      ],
      exports: [RegisterPrometheusRegistry],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(DeliveryOutcomeMiddleware).forRoutes({ path: 'v1/records', method: RequestMethod.POST });
  }
}
