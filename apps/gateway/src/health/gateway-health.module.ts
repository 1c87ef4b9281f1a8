import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../gateway.config.js';
import { OperationsReadModel } from '../metrics/infrastructure/operations.read-model.js';
import {
  DEFAULT_GATEWAY_HEALTH,
  GATEWAY_HEALTH_OPTIONS,
  GatewayReadinessIndicator,
  type GatewayHealthOptions,
} from './gateway-readiness.indicator.js';
import { HealthHttpController } from './health.http.controller.js';

/** Liveness and readiness of one gateway app on its admin listener (@nestjs/terminus). */
@Module({})
export class GatewayHealthModule {
  static forRoot(
    config: GatewayConfig,
    dataSource: DataSource,
    options: Partial<GatewayHealthOptions> = {},
  ): DynamicModule {
    return {
      module: GatewayHealthModule,
      // Failed readiness checks are logged by the gateway's own (JSON) logger; they hold states, not data.
      imports: [TerminusModule.forRootAsync({ useFactory: () => ({ logger: config.logger ?? false }) })],
      controllers: [HealthHttpController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_HEALTH_OPTIONS, useValue: { ...DEFAULT_GATEWAY_HEALTH, ...options } },
        { provide: DataSource, useValue: dataSource },
        OperationsReadModel,
        GatewayReadinessIndicator,
      ],
    };
  }
}
