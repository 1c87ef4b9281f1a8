import fs from 'node:fs';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { PgliteProtocolQueue } from './pglite-protocol.queue.js';

/** Default socket connection limit of the embedded server: room for two pools plus a CLI or psql session. */
export const EMBEDDED_MAX_CONNECTIONS = 16;
/**
 * Recommended TypeORM pool size against the embedded server. PGlite runs one statement at a time for all
 * connections, so more connections add no throughput; a few let concurrent transactions wait in the server
 * queue instead of the pool. Every client's pool together must stay ≤ the server's maxConnections.
 */
export const EMBEDDED_POOL_SIZE = 4;

/** A running embedded PostgreSQL (PGlite) served over the PostgreSQL wire protocol. */
export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` — for `pg` / TypeORM (no password, no TLS). */
  url: string;
  /** The port actually bound (the ephemeral one when started with port 0). */
  port: number;
  /** Closes all client connections (rolling back their open transactions), the listener and PGlite. */
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** PGlite data folder; created when missing, reopened (data kept) when present. */
  dataDir: string;
  /** TCP port; 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. Do not expose: the server has no authentication. */
  host?: string;
  /** Connections beyond this are refused with SQLSTATE 53300; default {@link EMBEDDED_MAX_CONNECTIONS}. */
  maxConnections?: number;
}

/**
 * Starts PGlite (PostgreSQL 18 in WebAssembly) on its data folder and serves it on host:port through
 * pglite-socket's connection handler, with {@link PgliteProtocolQueue} keeping each connection's
 * extended-protocol batch and transaction together (PGlite has one backend session for all connections).
 * Transactions from different connections run one after the other, never interleaved. First start of a
 * new folder takes ~5 s (initdb); fsync is off (crash-safe, not power-loss-safe). One process per folder.
 *
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.data/db/gateway', port: 0 });
 * const ds = createDataSource({ url: pg.url, entities, migrations, poolSize: EMBEDDED_POOL_SIZE });
 * // ... await ds.destroy(); await pg.stop();
 */
export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = opts.host ?? '127.0.0.1';
  const maxConnections = opts.maxConnections ?? EMBEDDED_MAX_CONNECTIONS;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir);
  const queryQueue = new PgliteProtocolQueue(db) as unknown as PGLiteSocketHandlerOptions['queryQueue'];
  const handlers = new Set<PGLiteSocketHandler>();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (handlers.size >= maxConnections) {
      socket.end(tooManyConnectionsMessage(maxConnections));
      return;
    }
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });

  let port: number;
  try {
    port = await listen(server, opts.port ?? 0, host);
  } catch (error) {
    await db.close();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...handlers].map((handler) => handler.detach(true)));
    handlers.clear();
    sockets.forEach((socket) => socket.destroy()); // e.g. refused clients that never closed their side
    await closed;
    await db.close();
  };
  return {
    url: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
    port,
    stop: () => (stopped ??= stop()),
  };
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new Error('embedded postgres: no TCP address'));
      else resolve(address.port);
    });
  });
}

/** A FATAL ErrorResponse, so `pg` reports a real SQLSTATE instead of a protocol error. */
function tooManyConnectionsMessage(maxConnections: number): Buffer {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '53300'],
    ['M', `embedded postgres: too many connections (maxConnections ${maxConnections})`],
  ];
  const body = Buffer.concat([
    ...fields.map(([code, value]) => Buffer.from(`${code}${value}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
