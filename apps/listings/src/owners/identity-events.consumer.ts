import { Injectable } from '@nestjs/common';
import { EventFilters, EventTypes } from '@app/contracts';
import { ConsumerDeps, DurableConsumer, type ConsumerSpec } from '@app/messaging';
import { ItemLifecycle } from '../lifecycle/item-lifecycle.service';
import { OwnersRepository } from './owners.repository';

/**
 * Identity's user facts, as listings needs them: cities for the `city` filter, and the
 * user's items leaving the market when the account is deleted (archived) or
 * deactivated (hidden until reactivated). Each handler runs in one transaction with
 * the inbox record, so a redelivered event changes nothing.
 *
 * Facts from other services come as their own consumer (one filter subject each on
 * NATS 2.9), with one handler each calling ItemLifecycle: an exchange completed →
 * archive its items (ExchangeEventsConsumer); a moderator hid a listing → hide it
 * (when moderation lands).
 */
@Injectable()
export class IdentityEventsConsumer extends DurableConsumer {
  constructor(
    deps: ConsumerDeps,
    private readonly owners: OwnersRepository,
    private readonly lifecycle: ItemLifecycle,
  ) {
    super(deps);
  }

  protected spec(): ConsumerSpec {
    return {
      durable: 'listings-identity-users',
      filterSubject: EventFilters.identityUser,
      handlers: {
        [EventTypes.identityUserRegistered]: async (tx, { data }) => {
          await this.owners.upsert(tx.em, data.user_id, { locations: data.locations, state: 'active' });
        },
        [EventTypes.identityUserLocationsChanged]: async (tx, { data }) => {
          await this.owners.upsert(tx.em, data.user_id, { locations: data.locations });
        },
        [EventTypes.identityUserDeleted]: async (tx, { data }) => {
          await this.owners.upsert(tx.em, data.user_id, { locations: [], state: 'deleted' });
          await this.lifecycle.archive(tx, { ownerId: data.user_id }, 'owner_deleted');
        },
        [EventTypes.identityUserDeactivated]: async (tx, { data }) => {
          await this.owners.upsert(tx.em, data.user_id, { state: 'deactivated' });
          await this.lifecycle.hide(tx, { ownerId: data.user_id }, 'owner_deactivated');
        },
        [EventTypes.identityUserReactivated]: async (tx, { data }) => {
          await this.owners.upsert(tx.em, data.user_id, { state: 'active' });
          await this.lifecycle.restore(tx, { ownerId: data.user_id }, 'owner_deactivated');
        },
      },
    };
  }
}
