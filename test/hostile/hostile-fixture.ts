import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import pg from 'pg';
import {
  CapturedOutput,
  createTestDatabase,
  httpsRequest,
  type HttpsAnswer,
  type TestDatabase,
  type TestDatabaseKind,
} from '@ketenpoort/testing';
import { PinoLogger } from '@ketenpoort/logging';
import { startStack, type RunningStack, type StackOptions } from '../../apps/cli/src/stack/stack.js';

const ALL_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose', 'fatal'] as const;

/** One stack per test file on fresh test databases, with captured gateway and register logs. */
export class HostileFixture {
  stack!: RunningStack;
  dataDir!: string;
  gatewayDb!: TestDatabase;
  registerDb!: TestDatabase;
  ca!: string;
  readonly gatewayLog = new CapturedOutput();
  readonly registerLog = new CapturedOutput();

  async start(kind: TestDatabaseKind, options: Partial<StackOptions> = {}): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), 'kp-hostile-'));
    [this.gatewayDb, this.registerDb] = await Promise.all([
      createTestDatabase(kind),
      createTestDatabase(kind),
    ]);
    this.stack = await startStack({
      mode: 'dev',
      dataDir: this.dataDir,
      configDir: resolve('config'),
      gatewayDatabaseUrl: this.gatewayDb.url,
      registerDatabaseUrl: this.registerDb.url,
      gatewayLogger: new PinoLogger({
        app: 'gateway',
        destination: this.gatewayLog,
        levels: [...ALL_LEVELS],
      }),
      registerLogger: new PinoLogger({
        app: 'register',
        destination: this.registerLog,
        levels: [...ALL_LEVELS],
      }),
      outbox: { pollIntervalMs: 100, maxBackoffMs: 500 },
      ...options,
    });
    this.ca = readFileSync(this.stack.pki.caCert, 'utf8');
  }

  async stop(): Promise<void> {
    await this.stack?.close();
    await Promise.all([this.gatewayDb?.drop(), this.registerDb?.drop()]);
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  credentials(partnerId: string): { cert: string; key: string } {
    return {
      cert: readFileSync(this.stack.pki.partners[partnerId].cert, 'utf8'),
      key: readFileSync(this.stack.pki.partners[partnerId].key, 'utf8'),
    };
  }

  /** POST /v1/signals with a raw body and content type (none when null). */
  post(
    partnerId: string,
    body: string | Buffer,
    contentType: string | null = 'application/json',
    credentials = this.credentials(partnerId),
  ): Promise<HttpsAnswer> {
    return httpsRequest(`${this.stack.gateway.partnerUrl}/v1/signals`, {
      method: 'POST',
      body,
      headers: contentType === null ? {} : { 'content-type': contentType },
      ca: this.ca,
      ...credentials,
    });
  }

  get(partnerId: string, path: string, credentials = this.credentials(partnerId)): Promise<HttpsAnswer> {
    return httpsRequest(`${this.stack.gateway.partnerUrl}${path}`, { ca: this.ca, ...credentials });
  }

  /** Rows in the tables an accepted or refused signal writes to. */
  async rowCounts(): Promise<{ signal: number; audit: number; outbox: number }> {
    const [row] = await sql<{ signal: string; audit: string; outbox: string }>(
      this.gatewayDb.url,
      `SELECT (SELECT count(*) FROM signal) AS signal, (SELECT count(*) FROM audit_entry) AS audit,
              (SELECT count(*) FROM outbox) AS outbox`,
    );
    return { signal: Number(row.signal), audit: Number(row.audit), outbox: Number(row.outbox) };
  }

  /** A TLS connection to a listener, ready (handshake done) or refused (rejects). */
  tls(url: string, opts: Partial<ConnectionOptions> = {}): Promise<TLSSocket> {
    const { hostname, port } = new URL(url);
    return new Promise((resolveSocket, reject) => {
      const socket = connect({
        host: hostname,
        port: Number(port),
        ca: this.ca,
        servername: 'localhost',
        ...opts,
      });
      socket.once('secureConnect', () => resolveSocket(socket));
      socket.once('error', reject);
    });
  }
}

/** One query on a database by URL. */
export async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Resolves when the socket is closed by the other side (or errors), with the time it took and what the
 * server sent; rejects after `limitMs`.
 */
export function whenClosed(
  socket: TLSSocket,
  limitMs: number,
): Promise<{ afterMs: number; received: string }> {
  const started = Date.now();
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
  return new Promise((resolveClosed, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${limitMs} ms`)), limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolveClosed({ afterMs: Date.now() - started, received });
    });
    socket.on('error', () => undefined);
  });
}

/** Lines of a captured JSON log, parsed. */
export function logLines(output: CapturedOutput): Record<string, unknown>[] {
  return output
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
