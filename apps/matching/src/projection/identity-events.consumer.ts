import { Injectable } from '@nestjs/common';
import { EventFilters, EventTypes } from '@app/contracts';
import { ConsumerDeps, DurableConsumer, type ConsumerSpec, type Tx } from '@app/messaging';
import { EngineHost } from '../engine/engine-host';
import { ProjectionRepository, type UserState } from './projection.repository';

const sameCities = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));

/**
 * Identity's user facts: names for display, and the cities the engine may use. A user
 * who is not active (deactivated, deleted) trades in no city, so none of their items
 * can be part of a proposal.
 */
@Injectable()
export class IdentityEventsConsumer extends DurableConsumer {
  constructor(
    deps: ConsumerDeps,
    private readonly projection: ProjectionRepository,
    private readonly host: EngineHost,
  ) {
    super(deps);
  }

  private apply(tx: Tx, userId: number, fields: { username?: string; full_name?: string | null; locations?: string[]; state?: UserState }): Promise<void> {
    return this.host.exclusive(async (engine) => {
      const { before, after } = await this.projection.upsertUser(tx.em, userId, fields);
      if (sameCities(before, after)) return;
      await this.host.persist(engine.setUserCities(userId, after), 'item_unavailable');
    });
  }

  protected spec(): ConsumerSpec {
    return {
      durable: 'matching-identity-users',
      filterSubject: EventFilters.identityUser,
      handlers: {
        [EventTypes.identityUserRegistered]: (tx, { data }) =>
          this.apply(tx, data.user_id, { username: data.username, full_name: data.full_name, locations: data.locations, state: 'active' }),
        [EventTypes.identityUserProfileChanged]: (tx, { data }) => this.apply(tx, data.user_id, { username: data.username, full_name: data.full_name }),
        [EventTypes.identityUserLocationsChanged]: (tx, { data }) => this.apply(tx, data.user_id, { locations: data.locations }),
        [EventTypes.identityUserDeleted]: (tx, { data }) => this.apply(tx, data.user_id, { state: 'deleted' }),
        [EventTypes.identityUserDeactivated]: (tx, { data }) => this.apply(tx, data.user_id, { state: 'deactivated' }),
        [EventTypes.identityUserReactivated]: (tx, { data }) => this.apply(tx, data.user_id, { state: 'active' }),
      },
    };
  }
}
