import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggingModule, OpsModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { InboxRecord, messagingTablesMigration, NatsModule, OutboxModule, OutboxRecord } from '@app/messaging';
import { CatalogueHandler } from './catalogue/catalogue.handler';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { CatalogueService } from './catalogue/catalogue.service';
import { type ListingsConfig } from './config';
import { ItemsHandler } from './items/items.handler';
import { ItemsRepository } from './items/items.repository';
import { ItemsService } from './items/items.service';
import { ExchangeEventsConsumer } from './lifecycle/exchange-events.consumer';
import { ItemLifecycle } from './lifecycle/item-lifecycle.service';
import { ListingsInit1763800000200 } from './migrations/1763800000200-listings-init';
import { CatalogueV61763800000210 } from './migrations/1763800000210-catalogue-v6';
import { DropOwnersLocationsIndex1763800000220 } from './migrations/1763800000220-drop-owners-locations-index';
import { IdentityEventsConsumer } from './owners/identity-events.consumer';
import { OwnersRepository } from './owners/owners.repository';

export const LISTINGS_SCHEMA = 'listings';
export const listingsMigrations = [messagingTablesMigration(LISTINGS_SCHEMA), ListingsInit1763800000200, CatalogueV61763800000210, DropOwnersLocationsIndex1763800000220];
// Listings reads and writes with SQL in its repositories; only the messaging tables are entities.
export const listingsEntities = [OutboxRecord, InboxRecord];

@Module({})
export class ListingsModule {
  static forRoot(config: ListingsConfig, logger: Logger): DynamicModule {
    return {
      module: ListingsModule,
      imports: [
        LoggingModule.forRoot(logger, { httpRequests: false }),
        OpsModule,
        DatabaseModule.forService({
          schema: LISTINGS_SCHEMA,
          url: config.DATABASE_URL,
          entities: listingsEntities,
          migrations: listingsMigrations,
          runMigrations: config.MIGRATIONS_RUN,
          applicationName: 'listings',
          poolSize: config.LISTINGS_DB_POOL_SIZE,
        }),
        NatsModule.forRoot({ url: config.NATS_URL, name: 'listings' }),
        OutboxModule.forRoot({ producer: 'listings', relayEnabled: config.OUTBOX_RELAY_ENABLED, pollIntervalMs: 1000, batchSize: 100, retentionHours: 168 }),
      ],
      controllers: [CatalogueHandler, ItemsHandler],
      providers: [
        CatalogueRepository,
        CatalogueService,
        ItemsRepository,
        ItemsService,
        ItemLifecycle,
        OwnersRepository,
        IdentityEventsConsumer,
        ExchangeEventsConsumer,
      ],
    };
  }
}
