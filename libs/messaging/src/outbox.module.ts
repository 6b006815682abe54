import { DynamicModule, Module } from '@nestjs/common';
import { ConsumerDeps } from './durable-consumer';
import { OUTBOX_OPTIONS, OutboxRelay, TransactionRunner, type OutboxOptions } from './outbox';

/** Outbox, relay and consumer plumbing for a service that owns a database. */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxOptions): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [{ provide: OUTBOX_OPTIONS, useValue: options }, OutboxRelay, TransactionRunner, ConsumerDeps],
      exports: [OutboxRelay, TransactionRunner, ConsumerDeps],
    };
  }
}
