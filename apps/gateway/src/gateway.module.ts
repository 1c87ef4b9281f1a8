import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { AuditLog } from './audit/infrastructure/audit-log.repository.js';
import { correlationId } from './common/correlation-id.middleware.js';
import { GlobalExceptionFilter } from './common/global-exception.filter.js';
import { requireJson } from './common/json-content-type.middleware.js';
import { GatewayMetrics } from './common/metrics.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from './common/tokens.js';
import { OutboxRepository } from './forwarding/infrastructure/outbox.repository.js';
import { OutboxWorker } from './forwarding/outbox.worker.js';
import { RecordSigner } from './forwarding/record-signer.js';
import { RegisterClient } from './forwarding/register.client.js';
import type { GatewayConfig } from './gateway.config.js';
import { SubmitSignalHandler } from './intake/commands/submit-signal/submit-signal.handler.js';
import { SubmitSignalHttpController } from './intake/commands/submit-signal/submit-signal.http.controller.js';
import { IntakeRepository } from './intake/infrastructure/intake.repository.js';
import { GetSignalStatusHandler } from './intake/queries/get-signal-status/get-signal-status.handler.js';
import { GetSignalStatusHttpController } from './intake/queries/get-signal-status/get-signal-status.http.controller.js';
import { SignalValidationPipe } from './intake/signal-validation.pipe.js';
import { PartnerGuard } from './partners/partner.guard.js';
import { JsonLogger } from './common/json-logger.js';
import { DataSource as DataSourceToken } from 'typeorm';

@Module({})
export class GatewayModule implements NestModule {
  static forRoot(config: GatewayConfig, dataSource: DataSource): DynamicModule {
    return {
      module: GatewayModule,
      imports: [CqrsModule.forRoot()],
      controllers: [SubmitSignalHttpController, GetSignalStatusHttpController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_LOGGER, useValue: config.logger ?? new JsonLogger() },
        { provide: DataSourceToken, useValue: dataSource },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        GatewayMetrics,
        AuditLog,
        IntakeRepository,
        OutboxRepository,
        RegisterClient,
        RecordSigner,
        OutboxWorker,
        PartnerGuard,
        SignalValidationPipe,
        SubmitSignalHandler,
        GetSignalStatusHandler,
      ],
      exports: [GatewayMetrics, AuditLog, OutboxWorker],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationId).forRoutes('*');
    consumer.apply(requireJson).forRoutes({ path: 'v1/signals', method: RequestMethod.POST });
  }
}
