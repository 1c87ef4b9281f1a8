import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  EMBEDDED_POOL_SIZE,
  REGISTER_ENTITIES,
  REGISTER_MIGRATIONS,
  runMigrations,
} from '@ketenpoort/persistence';
import { DEFAULT_ACCESS_LOG_LEVEL, PinoLogger } from '@ketenpoort/logging';
import { accessLog } from './common/access-log.middleware.js';
import { correlationId } from './common/correlation-id.middleware.js';
import { GlobalExceptionFilter } from './common/global-exception.filter.js';
import { LISTENER, type ListenerName } from './common/listener.js';
import { registerOpenApi, serveRegisterOpenApi } from './openapi/openapi.setup.js';
import { RegisterError } from './common/register.error.js';
import { STRICT_VALIDATION, toFieldErrors } from './common/validation.js';
import { ReceiptSigner } from './records/receipt.signer.js';
import { RegisterModule } from './register.module.js';
import { RetentionJob } from './lifecycle/retention/retention.job.js';
import { validateRegisterConfig, type RegisterConfig } from './register.config.js';

export type { RegisterConfig } from './register.config.js';

export interface RunningRegister {
  intakeUrl: string;
  apiUrl: string;
  /** Runs the retention job now (as its daily timer would); returns the deleted counts per purpose. */
  runRetention(today?: string): Promise<{ purpose: string; count: number }[]>;
  close(): Promise<void>;
}

/** A record JWS is small; anything near this is not one. */
const BODY_LIMIT = '256kb';

/**
 * Starts the register: runs its migrations, then serves one Nest app on two TLS listeners — `intake`
 * (mTLS, the gateway delivers records) and `api` (server TLS: statistics for analysts, the receipt JWKS).
 *
 * @example
 * const register = await startRegister(config);
 * // ... POST `${register.intakeUrl}/v1/records`; GET `${register.apiUrl}/v1/statistics?year=2020&rule=register`
 * await register.close();
 */
export async function startRegister(input: RegisterConfig): Promise<RunningRegister> {
  const config = validateRegisterConfig(input);
  const logger = config.logger ?? new PinoLogger({ app: 'register' });
  const signer = await ReceiptSigner.create(config.signingKey, config.registerId);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    entities: REGISTER_ENTITIES,
    migrations: REGISTER_MIGRATIONS,
    poolSize: config.databasePoolSize ?? EMBEDDED_POOL_SIZE,
    name: `ketenpoort-register-${config.registerId}`,
  });
  const servers: https.Server[] = [];
  let app: NestExpressApplication | undefined;
  try {
    await runMigrations(dataSource);
    const adapter = new ExpressAdapter();
    // One express instance behind two https servers: the listener decides which routes answer.
    const expressApp = adapter.getInstance<(req: unknown, res: unknown) => void>();
    app = await NestFactory.create<NestExpressApplication>(
      RegisterModule.forRoot({ config, dataSource, signer }),
      adapter,
      { bodyParser: false, logger, abortOnError: false },
    );
    app.disable('x-powered-by');
    // First on both listeners, before the body parsers: every request gets a correlation id and one access line.
    app.use(correlationId);
    app.use(accessLog(logger, config.accessLog ?? DEFAULT_ACCESS_LOG_LEVEL));
    app.useBodyParser('text', { type: 'application/jose', limit: BODY_LIMIT });
    // JSON only for the witness protocol; records arrive as compact JWS (application/jose).
    app.useBodyParser('json', {
      limit: BODY_LIMIT,
      type: (req: { url?: string; headers: Record<string, unknown> }) =>
        (req.url ?? '').startsWith('/v1/witness') &&
        /^application\/json/i.test(String(req.headers['content-type'] ?? '')),
    });
    app.useGlobalFilters(new GlobalExceptionFilter(logger));
    app.useGlobalPipes(
      new ValidationPipe({
        ...STRICT_VALIDATION,
        transform: true,
        exceptionFactory: (errors) =>
          new RegisterError('REQUEST.INVALID', 'invalid request', toFieldErrors(errors)),
      }),
    );
    serveRegisterOpenApi(app, registerOpenApi(app));
    await app.init();
    const tls = config.tls;
    const listen = (name: ListenerName, port: number, options: https.ServerOptions) =>
      new Promise<https.Server>((resolve, reject) => {
        const server = https.createServer(options, (request, response) => {
          (request as unknown as Record<symbol, ListenerName>)[LISTENER] = name;
          expressApp(request, response);
        });
        server.once('error', reject);
        server.listen(port, config.host, () => resolve(server));
        servers.push(server);
      });
    const intake = await listen('intake', config.intakePort, {
      cert: tls.certPem,
      key: tls.keyPem,
      ca: tls.clientCaPems,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
    const api = await listen('api', config.apiPort, {
      cert: tls.certPem,
      key: tls.keyPem,
      minVersion: 'TLSv1.2',
    });
    const url = (server: https.Server) => {
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `https://${host}:${(server.address() as AddressInfo).port}`;
    };
    logger.log(
      { message: 'register started', registerId: config.registerId, intake: url(intake), api: url(api) },
      'Register',
    );
    let closing: Promise<void> | undefined;
    return {
      intakeUrl: url(intake),
      apiUrl: url(api),
      runRetention: (today) => app!.get(RetentionJob).run(today),
      close: () => (closing ??= shutdown(servers, app, dataSource)),
    };
  } catch (error) {
    await shutdown(servers, app, dataSource);
    throw error;
  }
}

async function shutdown(
  servers: https.Server[],
  app: NestExpressApplication | undefined,
  dataSource: DataSource,
) {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
  await app?.close();
  if (dataSource.isInitialized) await dataSource.destroy();
}
