import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kp-embedded-'));

/** A raw wire-protocol connection, to send one half of a batch and then pause. */
async function rawConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = Buffer.alloc(0);
  socket.on('data', (chunk) => (received = Buffer.concat([received, chunk])));
  socket.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
  await waitFor(() => received.includes(Buffer.from('Z\0\0\0\x05I')));
  received = Buffer.alloc(0);
  return {
    socket,
    text: () => received.toString('latin1'),
    done: () => received.includes(Buffer.from('Z\0\0\0\x05')),
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe(startEmbeddedPostgres.name, () => {
  let dataDir: string;
  let sut: EmbeddedPostgres;

  beforeAll(async () => {
    dataDir = tempDir();
    sut = await startEmbeddedPostgres({ dataDir, port: 0 });
  });
  afterAll(async () => {
    await sut.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the ephemeral port it bound when started with port 0', async () => {
    expect(sut.port).toBeGreaterThan(0);
    expect(sut.url).toBe(`postgres://postgres@127.0.0.1:${sut.port}/postgres`);
    const client = new pg.Client(sut.url);
    await client.connect();
    const { rows } = await client.query('SELECT 1 + 1 AS two');
    await client.end();
    expect(rows).toEqual([{ two: 2 }]);
  });

  it('refuses a connection beyond maxConnections with SQLSTATE 53300', async () => {
    const limitedDir = tempDir();
    const limited = await startEmbeddedPostgres({ dataDir: limitedDir, port: 0, maxConnections: 2 });
    const pool = new pg.Pool({ connectionString: limited.url, max: 2 });
    const held = await Promise.all([pool.connect(), pool.connect()]);
    const extra = new pg.Client(limited.url);
    const refused = await extra.connect().catch((e: unknown) => e);
    held.forEach((client) => client.release());
    await pool.end();
    await limited.stop();
    fs.rmSync(limitedDir, { recursive: true, force: true });
    expect(refused).toMatchObject({ code: '53300' });
  });

  it("keeps one connection's extended-protocol batch together while another connection sends", async () => {
    const a = await rawConnection(sut.port);
    const b = await rawConnection(sut.port);
    try {
      a.socket.write(serialize.parse({ text: "SELECT 'from-a' AS x", types: [] }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      b.socket.write(
        Buffer.concat([
          serialize.parse({ text: "SELECT 'from-b' AS x", types: [] }),
          serialize.bind({}),
          serialize.execute({}),
          serialize.sync(),
        ]),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      a.socket.write(Buffer.concat([serialize.bind({}), serialize.execute({}), serialize.sync()]));
      await waitFor(() => a.done() && b.done());
    } finally {
      a.socket.destroy();
      b.socket.destroy();
    }
    expect([a.text().includes('from-a'), a.text().includes('from-b')]).toEqual([true, false]);
    expect([b.text().includes('from-b'), b.text().includes('from-a')]).toEqual([true, false]);
  });

  it('answers many concurrent parameterised queries from a pool, each with its own result', async () => {
    const pool = new pg.Pool({ connectionString: sut.url, max: 3 });
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pool.query(`SELECT $1::int AS v, '${i}'::text AS tag, length($2::text) AS len`, [
          i,
          'x'.repeat(i * 500),
        ]),
      ),
    );
    await pool.end();
    const wrong = results.filter(
      ({ rows: [row] }, i) => row.v !== i || row.tag !== String(i) || row.len !== i * 500,
    );
    expect(wrong).toEqual([]);
  });

  it('rolls back the open transaction of a connection that disappears', async () => {
    const client = new pg.Client(sut.url);
    client.on('error', () => undefined); // the abrupt close below is the point of the test
    await client.connect();
    await client.query('CREATE TABLE IF NOT EXISTS vanished (v int)');
    await client.query('BEGIN');
    await client.query('INSERT INTO vanished VALUES (1)');
    (client as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    const other = new pg.Client(sut.url);
    await other.connect();
    const { rows } = await other.query('SELECT count(*)::int AS n FROM vanished');
    await other.end();
    expect(rows).toEqual([{ n: 0 }]);
  });
});

describe('EmbeddedPostgres.stop', () => {
  it('keeps committed data when restarted on the same folder', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedPostgres({ dataDir, port: 0 });
    const writer = new pg.Client(first.url);
    await writer.connect();
    await writer.query('CREATE TABLE kept (v jsonb)');
    await writer.query('INSERT INTO kept VALUES ($1)', [{ kept: true }]);
    await writer.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: 0 });
    const reader = new pg.Client(second.url);
    await reader.connect();
    const { rows } = await reader.query('SELECT v FROM kept');
    await reader.end();
    await second.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(rows).toEqual([{ v: { kept: true } }]);
  });
});
