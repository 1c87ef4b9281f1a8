import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ListenerGuard } from '../common/listener.js';
import { RegisterCountsReadModel } from '../metrics/infrastructure/register-counts.read-model.js';
import { HealthHttpController } from './health.http.controller.js';

/** Liveness and readiness of one register app on its API listener (@nestjs/terminus). */
@Module({})
export class RegisterHealthModule {
  static forRoot(dataSource: DataSource, logger?: LoggerService): DynamicModule {
    return {
      module: RegisterHealthModule,
      imports: [TerminusModule.forRootAsync({ useFactory: () => ({ logger: logger ?? false }) })],
      controllers: [HealthHttpController],
      providers: [{ provide: DataSource, useValue: dataSource }, RegisterCountsReadModel, ListenerGuard],
    };
  }
}
