import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  createDataSource,
  GATEWAY_ENTITIES,
  GATEWAY_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { isDevCa } from '@ketenpoort/pki';
import { toErrorResponse } from './common/error-response.js';
import { JsonLogger } from './common/json-logger.js';
import { assertGatewayConfig, type GatewayConfig } from './gateway.config.js';
import { GatewayModule } from './gateway.module.js';

export type { GatewayConfig } from './gateway.config.js';
export { DEFAULT_LIMITS, DEFAULT_OUTBOX } from './gateway.config.js';

export interface RunningGateway {
  partnerUrl: string;
  app: INestApplication;
  close(): Promise<void>;
}

/**
 * Starts the gateway: migrations, the Nest application, and the partner listener (mutual TLS: a client
 * certificate of a configured CA is required at the handshake).
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  assertGatewayConfig(config, isDevCa);
  const logger = config.logger ?? new JsonLogger();
  const dataSource = createDataSource({
    url: config.databaseUrl,
    entities: GATEWAY_ENTITIES,
    migrations: GATEWAY_MIGRATIONS,
    poolSize: config.databasePoolSize,
    name: 'gateway',
  });
  await dataSource.initialize();
  await runMigrations(dataSource);

  const expressApp = express();
  expressApp.disable('x-powered-by');
  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.forRoot({ ...config, logger }, dataSource),
    new ExpressAdapter(expressApp),
    {
      bodyParser: false,
      logger,
    },
  );
  app.useBodyParser('json', { limit: config.limits.maxBodyBytes, strict: true });
  app.enableShutdownHooks();
  await app.init();
  // Errors raised before Nest's router (body parser, middleware) end here: same JSON shape, no echo.
  expressApp.use(
    (error: unknown, req: Request & { correlationId?: string }, res: Response, _next: NextFunction) => {
      const { status, body, headers } = toErrorResponse(error, logger, req.correlationId);
      res.status(status).set(headers).json(body);
    },
  );

  const server = createServer(
    {
      key: config.tls.keyPem,
      cert: config.tls.certPem,
      ca: config.partners.caBundle(),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    expressApp,
  );
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await listen(server, config.partnerPort, config.host);
  const { port } = server.address() as AddressInfo;
  logger.log({ msg: 'partner listener up', port }, 'Gateway');

  return {
    partnerUrl: `https://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    app,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
      await dataSource.destroy();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
