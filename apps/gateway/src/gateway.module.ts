import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { PinoLogger } from '@ketenpoort/logging';
import type { DataSource } from 'typeorm';
import { AuditLog } from './audit/infrastructure/audit-log.repository.js';
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
import { IntakeCommitter } from './intake/infrastructure/intake.committer.js';
import { SignalIntake } from './intake/signal-intake.service.js';
import { BatchIntake } from './intake/commands/submit-batch/batch-intake.js';
import { SubmitBatchHttpController } from './intake/commands/submit-batch/submit-batch.http.controller.js';
import { GetSignalStatusHandler } from './intake/queries/get-signal-status/get-signal-status.handler.js';
import { GetSignalStatusHttpController } from './intake/queries/get-signal-status/get-signal-status.http.controller.js';
import { SignalValidationPipe } from './intake/signal-validation.pipe.js';
import { PartnerGuard } from './partners/partner.guard.js';
import { PartnerRateLimiter } from './partners/partner-rate-limit.middleware.js';
import { PartnerRevocations } from './partners/partner-revocations.js';
import { ListenerGuard } from './common/listener.js';
import { CheckpointPublisher } from './audit/checkpoints/checkpoint.publisher.js';
import { AuditCheckpointStore } from './audit/infrastructure/audit-checkpoint.store.js';
import { AuditProofsHttpController } from './audit/queries/audit-proofs.http.controller.js';
import { AuditReviewRepository } from './audit/infrastructure/audit-review.repository.js';
import { AuditReviewHttpController } from './audit/queries/review-audit-entries/audit-review.http.controller.js';
import { SubjectLookupHttpController } from './audit/queries/subject-lookup/subject-lookup.http.controller.js';
import { SubjectLookupRateLimiter } from './audit/queries/subject-lookup/subject-lookup.rate-limiter.js';
import { SubjectLookupService } from './audit/queries/subject-lookup/subject-lookup.service.js';
import { GetSignalProofHttpController } from './intake/queries/get-signal-proof/get-signal-proof.http.controller.js';
import { AdminAuthGuard } from './admin/admin-auth.guard.js';
import { ActiveConfiguration } from './governance/active-configuration.js';
import { DecideVersionHandler } from './governance/commands/decide-version/decide-version.handler.js';
import { ProposeVersionHandler } from './governance/commands/propose-version/propose-version.handler.js';
import { GovernanceHttpController } from './governance/governance.http.controller.js';
import { GovernanceService } from './governance/governance.service.js';
import { GovernedVersionRepository } from './governance/infrastructure/governed-version.repository.js';
import { ExplainSignalHttpController } from './policy/commands/explain-signal/explain-signal.http.controller.js';
import { GetPartnerPolicyHttpController } from './policy/queries/get-partner-policy/get-partner-policy.http.controller.js';
import { DataSource as DataSourceToken } from 'typeorm';
import { GatewayHealthModule } from './health/gateway-health.module.js';
import { GatewayMetricsModule } from './metrics/gateway-metrics.module.js';
import { DeadLetterRepository } from './outbox-admin/infrastructure/dead-letter.repository.js';
import { DeadLettersHttpController } from './outbox-admin/dead-letters.http.controller.js';
import {
  AuditErasureHttpController,
  LIFECYCLE_PROVIDERS,
  RetractSignalHttpController,
} from './lifecycle/lifecycle.providers.js';
import { CONSOLE_CONTROLLERS, CONSOLE_PROVIDERS } from './console/console.providers.js';

@Module({})
export class GatewayModule implements NestModule {
  static forRoot(config: GatewayConfig, dataSource: DataSource): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        CqrsModule.forRoot(),
        GatewayHealthModule.forRoot(config, dataSource),
        GatewayMetricsModule.forRoot(config, dataSource),
      ],
      controllers: [
        SubmitSignalHttpController,
        SubmitBatchHttpController,
        GetSignalStatusHttpController,
        RetractSignalHttpController,
        GetPartnerPolicyHttpController,
        // Before GovernanceHttpController: its `v1/admin/:kind/:version` would shadow `v1/admin/audit/…`.
        AuditProofsHttpController,
        // Also before GovernanceHttpController (its `v1/admin/:kind/:version/:decision`).
        DeadLettersHttpController,
        AuditReviewHttpController,
        SubjectLookupHttpController,
        AuditErasureHttpController,
        GovernanceHttpController,
        ExplainSignalHttpController,
        GetSignalProofHttpController,
        ...CONSOLE_CONTROLLERS,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GATEWAY_LOGGER, useValue: config.logger ?? new PinoLogger({ app: 'gateway' }) },
        { provide: DataSourceToken, useValue: dataSource },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_GUARD, useClass: ListenerGuard },
        GovernedVersionRepository,
        AuditCheckpointStore,
        AuditReviewRepository,
        SubjectLookupRateLimiter,
        SubjectLookupService,
        CheckpointPublisher,
        ActiveConfiguration,
        GovernanceService,
        ProposeVersionHandler,
        DecideVersionHandler,
        AdminAuthGuard,
        GatewayMetrics,
        AuditLog,
        IntakeRepository,
        IntakeCommitter,
        SignalIntake,
        BatchIntake,
        OutboxRepository,
        RegisterClient,
        RecordSigner,
        OutboxWorker,
        DeadLetterRepository,
        PartnerGuard,
        PartnerRateLimiter,
        PartnerRevocations,
        SignalValidationPipe,
        SubmitSignalHandler,
        GetSignalStatusHandler,
        ...LIFECYCLE_PROVIDERS,
        ...CONSOLE_PROVIDERS,
      ],
      exports: [GatewayMetrics, AuditLog, OutboxWorker, GovernanceService, ActiveConfiguration],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requireJson).forRoutes({ path: 'v1/signals', method: RequestMethod.POST });
  }
}
