import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { BearerTokenGuard } from './auth/bearer-token.guard.js';
import { GatewayClientGuard } from './auth/gateway-client.guard.js';
import { ListenerGuard } from './common/listener.js';
import { TypeOrmRecordStore } from './infrastructure/typeorm-record.store.js';
import { TypeOrmStatisticsReadModel } from './infrastructure/typeorm-statistics.read-model.js';
import { PersonLinker } from './linkage/index.js';
import { StoreRecordHandler } from './records/commands/store-record/store-record.handler.js';
import { StoreRecordHttpController } from './records/commands/store-record/store-record.http.controller.js';
import { StoreBatchHandler } from './records/commands/store-batch/store-batch.handler.js';
import { StoreBatchHttpController } from './records/commands/store-batch/store-batch.http.controller.js';
import { GatewayRecordVerifier } from './records/gateway-record.verifier.js';
import { JwksHttpController } from './records/jwks.http.controller.js';
import { ReceiptSigner } from './records/receipt.signer.js';
import { RECORD_STORE } from './records/record.store.js';
import { RecordIntake } from './records/record-intake.js';
import { PinoLogger } from '@ketenpoort/logging';
import { REGISTER_CONFIG, REGISTER_LOGGER, type RegisterConfig } from './register.config.js';
import { GetStatisticsHandler } from './statistics/queries/get-statistics/get-statistics.handler.js';
import { GetStatisticsHttpController } from './statistics/queries/get-statistics/get-statistics.http.controller.js';
import { STATISTICS_READ_MODEL } from './statistics/statistics.read-model.js';
import { TypeOrmWitnessStore } from './infrastructure/typeorm-witness.store.js';
import { WitnessHttpController } from './witness/witness.http.controller.js';
import { WITNESS_STORE } from './witness/witness.store.js';
import { RegisterHealthModule } from './health/register-health.module.js';
import { RegisterMetricsModule } from './metrics/register-metrics.module.js';
import { TypeOrmAccessLog } from './infrastructure/typeorm-access-log.repository.js';
import { TypeOrmStatisticsSnapshotStore } from './infrastructure/typeorm-statistics-snapshot.store.js';
import { TypeOrmStewardReadModel } from './infrastructure/typeorm-steward.read-model.js';
import { FreezeSnapshotHandler } from './statistics/snapshots/commands/freeze-snapshot/freeze-snapshot.handler.js';
import { FreezeSnapshotHttpController } from './statistics/snapshots/commands/freeze-snapshot/freeze-snapshot.http.controller.js';
import { GetSnapshotHandler } from './statistics/snapshots/queries/get-snapshot/get-snapshot.handler.js';
import { GetSnapshotHttpController } from './statistics/snapshots/queries/get-snapshot/get-snapshot.http.controller.js';
import { STATISTICS_SNAPSHOT_STORE } from './statistics/snapshots/statistics-snapshot.store.js';
import { ACCESS_LOG } from './steward/access-log.js';
import { GetPersonHandler } from './steward/queries/get-person/get-person.handler.js';
import { GetPersonHttpController } from './steward/queries/get-person/get-person.http.controller.js';
import { GetRecordLinksHandler } from './steward/queries/get-record-links/get-record-links.handler.js';
import { GetRecordLinksHttpController } from './steward/queries/get-record-links/get-record-links.http.controller.js';
import { STEWARD_READ_MODEL } from './steward/steward.read-model.js';
import { RemoveRecordHttpController } from './lifecycle/commands/remove-record/remove-record.http.controller.js';
import { RemovalRequestVerifier } from './lifecycle/commands/remove-record/removal-request.verifier.js';
import { TypeOrmRecordRemovalStore } from './lifecycle/infrastructure/typeorm-record-removal.js';
import { LifecycleSigner } from './lifecycle/lifecycle.signer.js';
import { GetRetentionReportsHttpController } from './lifecycle/queries/get-retention-reports/get-retention-reports.http.controller.js';
import { RECORD_REMOVAL_STORE } from './lifecycle/record-removal.js';
import { RetentionJob } from './lifecycle/retention/retention.job.js';

export interface RegisterModuleOptions {
  config: RegisterConfig;
  /** Initialised and migrated; owned by the caller. */
  dataSource: DataSource;
  signer: ReceiptSigner;
}

@Module({})
export class RegisterModule {
  static forRoot(options: RegisterModuleOptions): DynamicModule {
    return {
      module: RegisterModule,
      imports: [
        CqrsModule.forRoot(),
        RegisterHealthModule.forRoot(options.dataSource, options.config.logger),
        RegisterMetricsModule.forRoot(options.dataSource),
      ],
      controllers: [
        WitnessHttpController,
        StoreRecordHttpController,
        StoreBatchHttpController,
        JwksHttpController,
        GetStatisticsHttpController,
        FreezeSnapshotHttpController,
        GetSnapshotHttpController,
        GetPersonHttpController,
        GetRecordLinksHttpController,
        RemoveRecordHttpController,
        GetRetentionReportsHttpController,
      ],
      providers: [
        { provide: REGISTER_CONFIG, useValue: options.config },
        { provide: REGISTER_LOGGER, useValue: options.config.logger ?? new PinoLogger({ app: 'register' }) },
        { provide: DataSource, useValue: options.dataSource },
        { provide: ReceiptSigner, useValue: options.signer },
        {
          provide: GatewayRecordVerifier,
          useFactory: () => new GatewayRecordVerifier(options.config.gatewayJwks, options.config.registerId),
        },
        { provide: PersonLinker, useValue: new PersonLinker() },
        {
          provide: RECORD_STORE,
          useFactory: (ds: DataSource) => new TypeOrmRecordStore(ds),
          inject: [DataSource],
        },
        {
          provide: WITNESS_STORE,
          useFactory: (ds: DataSource) => new TypeOrmWitnessStore(ds),
          inject: [DataSource],
        },
        {
          provide: STATISTICS_READ_MODEL,
          useFactory: (ds: DataSource) => new TypeOrmStatisticsReadModel(ds),
          inject: [DataSource],
        },
        ListenerGuard,
        GatewayClientGuard,
        BearerTokenGuard,
        RecordIntake,
        StoreRecordHandler,
        StoreBatchHandler,
        GetStatisticsHandler,
        {
          provide: STATISTICS_SNAPSHOT_STORE,
          useFactory: (ds: DataSource) => new TypeOrmStatisticsSnapshotStore(ds),
          inject: [DataSource],
        },
        {
          provide: STEWARD_READ_MODEL,
          useFactory: (ds: DataSource) => new TypeOrmStewardReadModel(ds),
          inject: [DataSource],
        },
        {
          provide: ACCESS_LOG,
          useFactory: (ds: DataSource) => new TypeOrmAccessLog(ds),
          inject: [DataSource],
        },
        FreezeSnapshotHandler,
        GetSnapshotHandler,
        GetPersonHandler,
        GetRecordLinksHandler,
        {
          provide: RemovalRequestVerifier,
          useFactory: () => new RemovalRequestVerifier(options.config.gatewayJwks, options.config.registerId),
        },
        {
          provide: LifecycleSigner,
          useFactory: () => new LifecycleSigner(options.config.signingKey, options.config.registerId),
        },
        {
          provide: RECORD_REMOVAL_STORE,
          useFactory: (ds: DataSource) => new TypeOrmRecordRemovalStore(ds),
          inject: [DataSource],
        },
        RetentionJob,
      ],
    };
  }
}
