/**
 * One service of the benchmark in its own process (so its RSS is its own): `gateway`, `register` or
 * `echo` (a bare NestJS mTLS endpoint on the gateway's adapter and listener settings that only echoes
 * the body). Configured like `ketenpoort serve` from the environment; reports its URLs over IPC.
 */
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, DEFAULT_LISTENER_LIMITS } from '../apps/gateway/src/main.js';
import { startRegister } from '../apps/register/src/main.js';
import { listenerServerOptions } from '../apps/gateway/src/partners/listener-protection.js';
import {
  gatewayConfigFromEnvironment,
  registerConfigFromEnvironment,
} from '../apps/cli/src/serve/serve.config.js';

@Controller('v1/signals')
class EchoController {
  @Post()
  @HttpCode(202)
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const silent = { log() {}, warn() {}, error() {}, debug() {}, verbose() {}, fatal() {} };

async function main(): Promise<void> {
  const role = process.argv[2];
  const env = process.env;
  let urls: Record<string, string>;
  if (role === 'register') {
    const register = await startRegister({
      ...registerConfigFromEnvironment(env),
      databasePoolSize: 8,
      logger: silent,
    });
    urls = { intakeUrl: register.intakeUrl, apiUrl: register.apiUrl };
  } else if (role === 'gateway') {
    const base = gatewayConfigFromEnvironment(env);
    const gateway = await startGateway({
      ...base,
      databasePoolSize: 10,
      rateLimit: { requestsPerSecond: 1_000_000, burst: 1_000_000 },
      listeners: { ...DEFAULT_LISTENER_LIMITS, requestTimeoutMs: 3_600_000, keepAliveTimeoutMs: 60_000 },
      outbox: { ...base.outbox, batchSize: Number(env.BENCH_OUTBOX_BATCH ?? 500), pollIntervalMs: 50 },
      ...(env.BENCH_QUIET === '1' ? { logger: silent } : {}),
    });
    urls = { partnerUrl: gateway.partnerUrl, adminUrl: gateway.adminUrl };
  } else if (role === 'echo') {
    const dataDir = env.KETENPOORT_DATA_DIR!;
    const expressApp = express();
    expressApp.disable('x-powered-by');
    const app = await NestFactory.create<NestExpressApplication>(EchoModule, new ExpressAdapter(expressApp), {
      bodyParser: false,
      logger: false,
    });
    app.useBodyParser('json', { limit: 256 * 1024, strict: true });
    await app.init();
    const server = createServer(
      {
        ...listenerServerOptions(DEFAULT_LISTENER_LIMITS),
        keepAliveTimeout: 60_000,
        key: readFileSync(join(dataDir, 'pki', 'gateway-server.key')),
        cert: readFileSync(join(dataDir, 'pki', 'gateway-server.crt')),
        ca: readFileSync(join(dataDir, 'pki', 'ca.crt')),
        requestCert: true,
        rejectUnauthorized: true,
      },
      expressApp,
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls = { partnerUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
  } else {
    throw new Error(`unknown role ${role}`);
  }
  process.send?.({ ready: true, ...urls });
  // The benchmark went away: so does this service.
  process.once('disconnect', () => process.exit(0));
  // Exit normally on SIGTERM too, so that a `--cpu-prof` profile gets written.
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
