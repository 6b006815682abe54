import type { EventTypes } from '../subjects';
import type {
  UserDeactivatedV1,
  UserDeletedV1,
  UserLocationsChangedV1,
  UserProfileChangedV1,
  UserReactivatedV1,
  UserRegisteredV1,
} from './identity.events';
import type { ItemArchivedV1, ItemCreatedV1, ItemHiddenV1, ItemRestoredV1, ItemUpdatedV1 } from '../listings/listings.events';
import type {
  ChainProposedV1,
  ExchangeAcceptedV1,
  ExchangeCancelledV1,
  ExchangeCompletedV1,
  ExchangeConfirmedV1,
  MatchFoundV1,
} from '../matching/matching.events';

/** Ties every event type to its payload at compile time. */
export interface EventDataMap {
  [EventTypes.identityUserRegistered]: UserRegisteredV1;
  [EventTypes.identityUserProfileChanged]: UserProfileChangedV1;
  [EventTypes.identityUserLocationsChanged]: UserLocationsChangedV1;
  [EventTypes.identityUserDeleted]: UserDeletedV1;
  [EventTypes.identityUserDeactivated]: UserDeactivatedV1;
  [EventTypes.identityUserReactivated]: UserReactivatedV1;
  [EventTypes.listingsItemCreated]: ItemCreatedV1;
  [EventTypes.listingsItemUpdated]: ItemUpdatedV1;
  [EventTypes.listingsItemArchived]: ItemArchivedV1;
  [EventTypes.listingsItemHidden]: ItemHiddenV1;
  [EventTypes.listingsItemRestored]: ItemRestoredV1;
  [EventTypes.matchingMatchFound]: MatchFoundV1;
  [EventTypes.matchingChainProposed]: ChainProposedV1;
  [EventTypes.matchingExchangeAccepted]: ExchangeAcceptedV1;
  [EventTypes.matchingExchangeConfirmed]: ExchangeConfirmedV1;
  [EventTypes.matchingExchangeCompleted]: ExchangeCompletedV1;
  [EventTypes.matchingExchangeCancelled]: ExchangeCancelledV1;
}
