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
import { DEFAULT_ACCESS_LOG_LEVEL, PinoLogger } from '@ketenpoort/logging';
import { isDevCa } from '@ketenpoort/pki';
import { toErrorResponse } from './common/error-response.js';
import { accessLog } from './common/access-log.middleware.js';
import { correlationId } from './common/correlation-id.middleware.js';
import { forListener } from './common/listener.js';
import { gatewayOpenApi, serveOpenApi } from './openapi/openapi.setup.js';
import { assertGatewayConfig, type GatewayConfig } from './gateway.config.js';
import { ActiveConfiguration } from './governance/active-configuration.js';
import { GovernanceService } from './governance/governance.service.js';
import { GatewayModule } from './gateway.module.js';
import { GatewayMetrics } from './common/metrics.js';
import { DEFAULT_LISTENER_LIMITS } from './gateway.config.js';
import {
  listenerServerOptions,
  protectListener,
  refusePrototypeKeys,
  requireUtf8Body,
  requireVerifiedPeers,
  tlsSessionOptions,
} from './partners/listener-protection.js';
import { PartnerRateLimiter } from './partners/partner-rate-limit.middleware.js';
import { PartnerRevocations } from './partners/partner-revocations.js';

export type { GatewayConfig } from './gateway.config.js';
export {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_GOVERNANCE,
  DEFAULT_LIMITS,
  DEFAULT_OUTBOX,
} from './gateway.config.js';
export { DEFAULT_LISTENER_LIMITS, DEFAULT_RATE_LIMIT } from './gateway.config.js';

export interface RunningGateway {
  partnerUrl: string;
  adminUrl: string;
  app: INestApplication;
  /** Re-reads the CRL files now; open partner connections whose certificate is revoked are closed. */
  reloadRevocations(): Promise<{ changed: boolean; revoked: number; problems: number; closed: number }>;
  close(): Promise<void>;
}

/**
 * Starts the gateway: migrations, the Nest application, and the partner listener (mutual TLS: a client
 * certificate of a configured CA is required at the handshake).
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  assertGatewayConfig(config, isDevCa);
  const logger = config.logger ?? new PinoLogger({ app: 'gateway' });
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
  // First on both listeners: every request, also one refused before routing, gets a correlation id and
  // one access line.
  expressApp.use(correlationId);
  expressApp.use(accessLog(logger, config.accessLog ?? DEFAULT_ACCESS_LOG_LEVEL));
  // Before the body parser: a partner over its rate costs no parsing and no audit write.
  expressApp.use(app.get(PartnerRateLimiter).middleware());
  // `verify` and `reviver` pass through Nest to body-parser (its types omit them for the rawBody option).
  const jsonOptions = {
    limit: config.limits.maxBodyBytes,
    strict: true,
    verify: requireUtf8Body,
    reviver: refusePrototypeKeys,
  };
  app.useBodyParser('json', jsonOptions);
  app.enableShutdownHooks();
  serveOpenApi(app, expressApp, gatewayOpenApi(app), 'admin');
  await app.init();
  // Errors raised before Nest's router (body parser, middleware) end here: same JSON shape, no echo.
  expressApp.use(
    (error: unknown, req: Request & { correlationId?: string }, res: Response, _next: NextFunction) => {
      const { status, body, headers } = toErrorResponse(error, logger, req.correlationId);
      res.status(status).set(headers).json(body);
    },
  );

  // Files are proposals; what is enforced comes from the approved versions in the database.
  await app.get(GovernanceService).registerFiles();
  const active = app.get(ActiveConfiguration);

  const limits = config.listeners ?? DEFAULT_LISTENER_LIMITS;
  const metrics = app.get(GatewayMetrics);
  const revocations = app.get(PartnerRevocations);
  await revocations.reload();
  const partnerTls = () => ({
    key: config.tls.keyPem,
    cert: config.tls.certPem,
    ca: active.caBundle,
    crl: revocations.crlPems,
    ...tlsSessionOptions(limits),
  });
  const server = createServer(
    // Certificates are verified by OpenSSL; requireVerifiedPeers refuses (and logs why) before any HTTP.
    { ...listenerServerOptions(limits), ...partnerTls(), requestCert: true, rejectUnauthorized: false },
    forListener('partner', expressApp),
  );
  const peers = requireVerifiedPeers(server, (der) => revocations.status(der), logger, metrics);
  // An approved change of partner CAs takes effect for new connections without a restart.
  active.onPartnersChanged(() => server.setSecureContext(partnerTls()));
  // A new CRL: new handshakes are checked against it, and open connections are re-checked now.
  let closedByReload = 0;
  revocations.onChanged(() => {
    server.setSecureContext(partnerTls());
    closedByReload = peers.recheck();
  });
  revocations.start();
  const adminServer = createServer(
    { ...listenerServerOptions(limits), key: config.tls.keyPem, cert: config.tls.certPem },
    forListener('admin', expressApp),
  );
  protectListener(server, 'partner', limits, logger, metrics);
  protectListener(adminServer, 'admin', limits, logger, metrics);
  await listen(server, config.partnerPort, config.host);
  await listen(adminServer, config.admin.port, config.host);
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = (s: Server) => `https://${host}:${(s.address() as AddressInfo).port}`;
  logger.log({ msg: 'listeners up', partner: url(server), admin: url(adminServer) }, 'Gateway');

  let closing: Promise<void> | undefined;
  return {
    partnerUrl: url(server),
    adminUrl: url(adminServer),
    app,
    async reloadRevocations() {
      closedByReload = 0;
      const result = await revocations.reload();
      return { ...result, closed: closedByReload };
    },
    close() {
      closing ??= closeAll();
      return closing;
    },
  };

  async function closeAll(): Promise<void> {
    // Stop accepting, let requests in flight be answered, then drain the workers (their in-flight
    // deliveries finish) before the register clients and the database close (Nest's shutdown hooks).
    await Promise.all([server, adminServer].map((s) => closeGracefully(s, SHUTDOWN_GRACE_MS)));
    await app.close();
    await dataSource.destroy();
  }
}

/** How long requests in flight may take to finish at shutdown before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Closes a listener gracefully: no new connections; idle keep-alive connections closed at once and as soon as
 * their request is answered; whatever is still open after `graceMs` (a stalled stream) is cut.
 */
function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 25);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
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
