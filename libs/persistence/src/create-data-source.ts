import { DataSource } from 'typeorm';

export interface CreateDataSourceOptions {
  /** `postgres://user@host:port/db` — the embedded server's `url` or the production `DATABASE_URL`. */
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM takes entity/migration classes
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** Pool size; default 10. Against the embedded server use {@link EMBEDDED_POOL_SIZE} (≤ its maxConnections). */
  poolSize?: number;
  /** Shown as `application_name` in pg_stat_activity (TypeORM 1.x data sources have no name of their own). */
  name?: string;
  logging?: boolean;
}

/**
 * A TypeORM DataSource for the postgres driver, not yet initialised. The schema belongs to migrations only:
 * `synchronize` is off and `migrationsRun` is false — call {@link runMigrations} after `initialize()`.
 * Inside a transaction use only its EntityManager: on the embedded server a query through the DataSource
 * (another pool connection) waits for the transaction to end, i.e. deadlocks.
 *
 * @example
 * const ds = createDataSource({ url: pg.url, entities: [OutboxEntity], migrations: [Init1700000000000] });
 * await ds.initialize();
 * await runMigrations(ds);
 */
export function createDataSource(opts: CreateDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities: opts.entities,
    migrations: opts.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    installExtensions: false,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.name,
    logging: opts.logging ?? false,
    connectTimeoutMS: 10_000,
  });
}

/**
 * Runs the pending migrations, each in its own transaction; initialises the DataSource first if needed.
 *
 * @example
 * await runMigrations(ds); // idempotent: a second call runs nothing
 */
export async function runMigrations(ds: DataSource): Promise<void> {
  if (!ds.isInitialized) await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
}
