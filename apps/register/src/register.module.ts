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
import { GatewayRecordVerifier } from './records/gateway-record.verifier.js';
import { JwksHttpController } from './records/jwks.http.controller.js';
import { ReceiptSigner } from './records/receipt.signer.js';
import { RECORD_STORE } from './records/record.store.js';
import { ConsoleLogger } from '@nestjs/common';
import { REGISTER_CONFIG, REGISTER_LOGGER, type RegisterConfig } from './register.config.js';
import { GetStatisticsHandler } from './statistics/queries/get-statistics/get-statistics.handler.js';
import { GetStatisticsHttpController } from './statistics/queries/get-statistics/get-statistics.http.controller.js';
import { STATISTICS_READ_MODEL } from './statistics/statistics.read-model.js';

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
      imports: [CqrsModule.forRoot()],
      controllers: [StoreRecordHttpController, JwksHttpController, GetStatisticsHttpController],
      providers: [
        { provide: REGISTER_CONFIG, useValue: options.config },
        { provide: REGISTER_LOGGER, useValue: options.config.logger ?? new ConsoleLogger({ json: true }) },
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
          provide: STATISTICS_READ_MODEL,
          useFactory: (ds: DataSource) => new TypeOrmStatisticsReadModel(ds),
          inject: [DataSource],
        },
        ListenerGuard,
        GatewayClientGuard,
        BearerTokenGuard,
        StoreRecordHandler,
        GetStatisticsHandler,
      ],
    };
  }
}
