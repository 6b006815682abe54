import { Injectable } from '@nestjs/common';
import { EventTypes, eventSubject } from '@app/contracts';
import { ConsumerDeps, DurableConsumer, type ConsumerSpec } from '@app/messaging';
import { ItemLifecycle } from '../lifecycle/item-lifecycle.service';

/**
 * A completed exchange takes its items off the market for good: they are archived
 * (reason `exchange_completed`, history kept), which emits item.archived for matching
 * and every other consumer. One filter subject per consumer on NATS 2.9, one handler.
 */
@Injectable()
export class MatchingEventsConsumer extends DurableConsumer {
  constructor(
    deps: ConsumerDeps,
    private readonly lifecycle: ItemLifecycle,
  ) {
    super(deps);
  }

  protected spec(): ConsumerSpec {
    return {
      durable: 'listings-matching-exchange-completed',
      filterSubject: eventSubject(EventTypes.matchingExchangeCompleted),
      handlers: {
        [EventTypes.matchingExchangeCompleted]: async (tx, { data }) => {
          if (data.item_ids.length) await this.lifecycle.archive(tx, { ids: data.item_ids }, 'exchange_completed');
        },
      },
    };
  }
}
