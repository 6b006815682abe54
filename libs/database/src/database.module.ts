import { DynamicModule, Global, Module, type OnApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Readiness } from '@app/common';
import { createServiceDataSource, initializeServiceDatabase, type ServiceDatabaseOptions } from './data-source';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** The service's own DataSource (its schema only), migrated at boot unless told not to. */
@Global()
@Module({})
export class DatabaseModule {
  static forService(options: ServiceDatabaseOptions & { runMigrations: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [Readiness],
          useFactory: async (readiness: Readiness) => {
            const dataSource = createServiceDataSource(options);
            await initializeServiceDatabase(dataSource, options.runMigrations);
            readiness.register('database', async () => {
              await dataSource.query('SELECT 1');
            });
            return dataSource;
          },
        },
        DataSourceCloser,
      ],
      exports: [DataSource],
    };
  }
}
