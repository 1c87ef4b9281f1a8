import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from '@jest/globals';
import pg from 'pg';
import { startEmbeddedPostgres } from '@ketenpoort/persistence';

export type TestDatabaseKind = 'embedded' | 'postgres';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Connection URL of the fresh database. */
  url: string;
  /** Stops (embedded) or force-drops (postgres) the database; idempotent. */
  drop(): Promise<void>;
}

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** libs/testing/src → repo root /test/artifacts; CI checks this log to prove the PostgreSQL tests ran. */
const POSTGRES_RUNS_LOG = fileURLToPath(
  new URL('../../../test/artifacts/postgres-runs.log', import.meta.url),
);

/**
 * Kinds to run database tests on: always 'embedded'; plus 'postgres' when env KP_TEST_POSTGRES=1.
 *
 * @example
 * testDatabaseKinds(); // ['embedded'] or ['embedded', 'postgres']
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.KP_TEST_POSTGRES === '1' ? ['embedded', 'postgres'] : ['embedded'];
}

/**
 * A fresh, empty database. embedded: a new PGlite in a temp dir on an ephemeral port. postgres:
 * `CREATE DATABASE kp_test_<random>` on the server at KP_TEST_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped WITH (FORCE) by drop(); throws when the server is
 * unreachable (never skips), and appends a line to test/artifacts/postgres-runs.log.
 *
 * @example
 * const db = await createTestDatabase('embedded');
 * try { ... db.url ... } finally { await db.drop(); }
 */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  return kind === 'embedded' ? createEmbedded() : createPostgres();
}

async function createEmbedded(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-test-pglite-'));
  const server = await startEmbeddedPostgres({ dataDir, port: 0 });
  let dropped: Promise<void> | undefined;
  return {
    kind: 'embedded',
    url: server.url,
    drop: () => (dropped ??= server.stop().then(() => fs.rmSync(dataDir, { recursive: true, force: true }))),
  };
}

async function createPostgres(): Promise<TestDatabase> {
  const serverUrl = process.env.KP_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
  const name = `kp_test_${crypto.randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  fs.mkdirSync(path.dirname(POSTGRES_RUNS_LOG), { recursive: true });
  fs.appendFileSync(
    POSTGRES_RUNS_LOG,
    `${new Date().toISOString()} created ${name} pid=${process.pid} test=${currentTestPath()}\n`,
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    kind: 'postgres',
    url: url.toString(),
    drop: () =>
      (dropped ??= withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined)),
  };
}

async function withAdminClient<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `KP_TEST_POSTGRES=1 but PostgreSQL at ${redact(serverUrl)} is unreachable (${reason}). ` +
        `Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or unset KP_TEST_POSTGRES.`,
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function currentTestPath(): string {
  const state = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect?.getState?.();
  return state?.testPath ? path.relative(process.cwd(), state.testPath) : '-';
}

/**
 * describe.each over {@link testDatabaseKinds}: creates a fresh database in beforeAll (registered before the
 * body's hooks) and drops it in afterAll (registered after them, so the body's own cleanup runs first).
 * `url()` is valid from the body's beforeAll on.
 *
 * @example
 * describeEachDatabase('outbox', (db) => {
 *   let ds: DataSource;
 *   beforeAll(async () => { ds = createDataSource({ url: db.url(), entities, migrations }); await runMigrations(ds); });
 *   afterAll(() => ds.destroy());
 *   it('...', async () => { ... });
 * });
 */
export function describeEachDatabase(
  name: string,
  body: (ctx: { kind: TestDatabaseKind; url: () => string }) => void,
): void {
  describe.each(testDatabaseKinds())(`${name} [%s]`, (kind) => {
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
    });
    body({
      kind,
      url: () => {
        if (!database)
          throw new Error(
            `describeEachDatabase(${name}): database not created yet (use url() in hooks/tests)`,
          );
        return database.url;
      },
    });
    afterAll(async () => {
      await database?.drop();
    });
  });
}
