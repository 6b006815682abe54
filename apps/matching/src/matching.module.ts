import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggingModule, OpsModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { InboxRecord, messagingTablesMigration, NatsModule, OutboxModule, OutboxRecord } from '@app/messaging';
import { ChainsService } from './chains/chains.service';
import { MATCHING_CONFIG, type MatchingConfig } from './config';
import { EngineHost } from './engine/engine-host';
import { ExchangesRepository } from './exchanges/exchanges.repository';
import { ExchangesService } from './exchanges/exchanges.service';
import { ProposalStore } from './exchanges/proposal-store';
import { HistoryService } from './history/history.service';
import { MatchingHandler } from './matching.handler';
import { MatchingInit1763800000300 } from './migrations/1763800000300-matching-init';
import { MatchingForbiddenPairs1763800000400 } from './migrations/1763800000400-matching-forbidden-pairs';
import { PipelineService } from './pipeline/pipeline.service';
import { IdentityEventsConsumer } from './projection/identity-events.consumer';
import { ListingsEventsConsumer } from './projection/listings-events.consumer';
import { ProjectionRepository } from './projection/projection.repository';

export const MATCHING_SCHEMA = 'matching';
export const matchingMigrations = [messagingTablesMigration(MATCHING_SCHEMA), MatchingInit1763800000300, MatchingForbiddenPairs1763800000400];
// Matching reads and writes with SQL in its repositories; only the messaging tables are entities.
export const matchingEntities = [OutboxRecord, InboxRecord];

@Module({})
export class MatchingModule {
  static forRoot(config: MatchingConfig, logger: Logger): DynamicModule {
    return {
      module: MatchingModule,
      imports: [
        LoggingModule.forRoot(logger, { httpRequests: false }),
        OpsModule,
        DatabaseModule.forService({
          schema: MATCHING_SCHEMA,
          url: config.DATABASE_URL,
          entities: matchingEntities,
          migrations: matchingMigrations,
          runMigrations: config.MIGRATIONS_RUN,
          applicationName: 'matching',
          poolSize: config.MATCHING_DB_POOL_SIZE,
        }),
        NatsModule.forRoot({ url: config.NATS_URL, name: 'matching' }),
        OutboxModule.forRoot({ producer: 'matching', relayEnabled: config.OUTBOX_RELAY_ENABLED, pollIntervalMs: 1000, batchSize: 100, retentionHours: 168 }),
      ],
      controllers: [MatchingHandler],
      providers: [
        { provide: MATCHING_CONFIG, useValue: config },
        ProjectionRepository,
        ProposalStore,
        ExchangesRepository,
        EngineHost,
        ExchangesService,
        ChainsService,
        HistoryService,
        PipelineService,
        ListingsEventsConsumer,
        IdentityEventsConsumer,
      ],
    };
  }
}
