import { Injectable } from '@nestjs/common';
import { EventFilters, EventTypes } from '@app/contracts';
import { ConsumerDeps, DurableConsumer, type ConsumerSpec } from '@app/messaging';
import { ItemLifecycle } from './item-lifecycle.service';

/**
 * Matching's exchange facts: when every participant confirmed an exchange, the items it
 * named (offers given, wants satisfied) leave the market for good. Its own consumer
 * because NATS 2.9 takes one filter subject per consumer.
 */
@Injectable()
export class ExchangeEventsConsumer extends DurableConsumer {
  constructor(
    deps: ConsumerDeps,
    private readonly lifecycle: ItemLifecycle,
  ) {
    super(deps);
  }

  protected spec(): ConsumerSpec {
    return {
      durable: 'listings-matching-exchanges',
      filterSubject: EventFilters.matchingExchange,
      handlers: {
        [EventTypes.matchingExchangeCompleted]: async (tx, { data }) => {
          await this.lifecycle.archive(tx, { ids: data.item_ids }, 'exchange_completed');
        },
      },
    };
  }
}
