import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { createDataSource } from './create-data-source.js';
import { isDatabaseUnavailableError } from './database-unavailable.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(isDatabaseUnavailableError.name, () => {
  it('is true for a refused connection', async () => {
    const sut = createDataSource({
      url: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`,
      entities: [],
      migrations: [],
    });
    const error = await sut.initialize().catch((e: unknown) => e);
    expect(isDatabaseUnavailableError(error)).toBe(true);
  }, 180_000);

  it('is true for a query after the embedded server stopped', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-unavailable-'));
    const server = await startEmbeddedPostgres({ dataDir, port: 0 });
    const ds = createDataSource({ url: server.url, entities: [], migrations: [], poolSize: 2 });
    await ds.initialize();
    await server.stop();
    const error = await ds.query('SELECT 1').catch((e: unknown) => e);
    await ds.destroy().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it('is true for 57P01 admin shutdown wrapped by TypeORM', () => {
    const driverError = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(isDatabaseUnavailableError(new QueryFailedError('SELECT 1', [], driverError))).toBe(true);
  });

  it('is true for a connection exception (SQLSTATE class 08) in a cause chain', () => {
    const inner = Object.assign(new Error('connection failure'), { code: '08006' });
    expect(isDatabaseUnavailableError(new Error('outer', { cause: inner }))).toBe(true);
  });

  it('is false for a unique violation', () => {
    const driverError = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(isDatabaseUnavailableError(new QueryFailedError('INSERT', [], driverError))).toBe(false);
  });

  it('is false for non-errors', () => {
    expect([undefined, null, 'ECONNREFUSED', 42].map(isDatabaseUnavailableError)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
