import { Injectable } from '@nestjs/common';
import { EventFilters, EventTypes, type ItemSnapshotV1 } from '@app/contracts';
import { ConsumerDeps, DurableConsumer, type ConsumerSpec, type Tx } from '@app/messaging';
import { EngineHost } from '../engine/engine-host';
import { ProjectionRepository, toMatchItem } from './projection.repository';

/**
 * Listings' item facts → the item projection → one incremental engine call. A snapshot
 * older than (or equal to) the stored version changes nothing, so redeliveries and
 * out-of-order events are harmless. Only active items that were not traded stay in the
 * engine; everything else is withdrawn (its proposals are cancelled).
 */
@Injectable()
export class ListingsEventsConsumer extends DurableConsumer {
  constructor(
    deps: ConsumerDeps,
    private readonly projection: ProjectionRepository,
    private readonly host: EngineHost,
  ) {
    super(deps);
  }

  private apply(tx: Tx, snapshot: ItemSnapshotV1): Promise<void> {
    // The gate first: no row lock is held while waiting for the engine.
    return this.host.exclusive(async (engine) => {
      if (!(await this.projection.upsertItem(tx.em, snapshot))) return;
      const live = snapshot.status === 'active' && !(await this.projection.isTraded(tx.em, snapshot.item_id));
      const changes = live ? engine.upsertItem(toMatchItem({ ...snapshot })) : engine.removeItem(snapshot.item_id);
      await this.host.persist(changes, 'item_unavailable');
    });
  }

  protected spec(): ConsumerSpec {
    return {
      durable: 'matching-listings-items',
      filterSubject: EventFilters.listingsItem,
      handlers: {
        [EventTypes.listingsItemCreated]: (tx, { data }) => this.apply(tx, data),
        [EventTypes.listingsItemUpdated]: (tx, { data }) => this.apply(tx, data),
        [EventTypes.listingsItemArchived]: (tx, { data }) => this.apply(tx, data),
        [EventTypes.listingsItemHidden]: (tx, { data }) => this.apply(tx, data),
        [EventTypes.listingsItemRestored]: (tx, { data }) => this.apply(tx, data),
      },
    };
  }
}
