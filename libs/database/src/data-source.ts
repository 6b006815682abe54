import { DataSource, type MigrationInterface, type EntitySchema } from 'typeorm';
import type { Logger } from 'pino';

export interface ServiceDatabaseOptions {
  /** The Postgres schema this service owns; no other service touches it. */
  schema: string;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: (Function | EntitySchema)[];
  migrations: (new () => MigrationInterface)[];
  poolSize?: number;
  applicationName?: string;
}

export function createServiceDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName ?? options.schema,
    // Raw SQL (outbox, inbox, repositories) resolves to the service's own schema.
    extra: { max: options.poolSize ?? 10, options: `-c search_path=${options.schema}` },
  });
}

/**
 * Connects, creates the service's schema if missing (TypeORM keeps its migrations
 * table inside it, so the schema must exist first) and applies pending migrations.
 */
export async function initializeServiceDatabase(dataSource: DataSource, runMigrations: boolean, logger?: Logger): Promise<void> {
  const schema = (dataSource.options as { schema: string }).schema;
  if (!dataSource.isInitialized) await dataSource.initialize();
  if (!runMigrations) return;
  // Two replicas starting together must not race on DDL: one advisory lock per schema.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger?.info({ schema, migration: migration.name }, 'migration applied');
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}
