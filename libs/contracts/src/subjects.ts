/**
 * ── NEVER RENAME ─────────────────────────────────────────────────────────────
 * Request/reply subjects. Deployed replicas of different versions talk over these
 * names; a rename is a breaking change. Add a new versioned subject instead.
 * ─────────────────────────────────────────────────────────────────────────────
 */
export const RpcSubjects = {
  identityUsersCreate: 'identity.v1.users.create',
  identityUsersGet: 'identity.v1.users.get',
  identityUsersGetByUsername: 'identity.v1.users.get-by-username',
  identityUsersUpdateLocations: 'identity.v1.users.update-locations',
  identityUsersUpdateProfile: 'identity.v1.users.update-profile',
  identityUsersDeleteAccount: 'identity.v1.users.delete-account',
  identityUsersSetActive: 'identity.v1.users.set-active',
  identityAuthRegister: 'identity.v1.auth.register',
  identityAuthLogin: 'identity.v1.auth.login',
  identityAuthRefresh: 'identity.v1.auth.refresh',
  identityAuthLogout: 'identity.v1.auth.logout',
  identityAuthChangePassword: 'identity.v1.auth.change-password',
  identityAuthRevokeSessions: 'identity.v1.auth.revoke-sessions',
  identityAuthMe: 'identity.v1.auth.me',
  listingsCatalogueGet: 'listings.v1.categories.get',
  listingsCategoriesByType: 'listings.v1.categories.by-type',
  listingsCategoryGroups: 'listings.v1.categories.groups',
  listingsCreateByCategories: 'listings.v1.listings.create-by-categories',
  listingsUpdate: 'listings.v1.listings.update',
  listingsItemsCreate: 'listings.v1.items.create',
  listingsItemsList: 'listings.v1.items.list',
  listingsItemsListMine: 'listings.v1.items.list-mine',
  matchingExchangesListMine: 'matching.v1.exchanges.list-mine',
  matchingExchangesConfirm: 'matching.v1.exchanges.confirm',
  matchingChainsDiscover: 'matching.v1.chains.discover',
  matchingChainsList: 'matching.v1.chains.list',
  matchingChainsOfUser: 'matching.v1.chains.of-user',
  matchingChainsAccept: 'matching.v1.chains.accept',
  matchingChainsDecline: 'matching.v1.chains.decline',
  matchingHistoryList: 'matching.v1.history.list',
  matchingHistoryGet: 'matching.v1.history.get',
  matchingHistoryExport: 'matching.v1.history.export',
  matchingPipelineRun: 'matching.v1.pipeline.run',
  matchingPipelineStatus: 'matching.v1.pipeline.status',
  matchingTestFlow: 'matching.v1.pipeline.test-flow',
} as const;
export type RpcSubject = (typeof RpcSubjects)[keyof typeof RpcSubjects];

/**
 * ── NEVER RENAME ─────────────────────────────────────────────────────────────
 * Domain event types. The JetStream subject is `events.<type>`; durable consumers
 * filter on these names.
 * ─────────────────────────────────────────────────────────────────────────────
 */
export const EventTypes = {
  identityUserRegistered: 'identity.user.registered',
  identityUserProfileChanged: 'identity.user.profile_changed',
  identityUserLocationsChanged: 'identity.user.locations_changed',
  identityUserDeleted: 'identity.user.deleted',
  identityUserDeactivated: 'identity.user.deactivated',
  identityUserReactivated: 'identity.user.reactivated',
  listingsItemCreated: 'listings.item.created',
  listingsItemUpdated: 'listings.item.updated',
  listingsItemArchived: 'listings.item.archived',
  listingsItemHidden: 'listings.item.hidden',
  listingsItemRestored: 'listings.item.restored',
  matchingMatchFound: 'matching.match.found',
  matchingChainProposed: 'matching.chain.proposed',
  matchingExchangeAccepted: 'matching.exchange.accepted',
  matchingExchangeConfirmed: 'matching.exchange.confirmed',
  matchingExchangeCompleted: 'matching.exchange.completed',
  matchingExchangeCancelled: 'matching.exchange.cancelled',
} as const;
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/** JetStream stream holding every domain event. */
export const EVENTS_STREAM = 'EVENTS';
export const EVENTS_SUBJECT_PREFIX = 'events';
export const eventSubject = (type: EventType): string => `${EVENTS_SUBJECT_PREFIX}.${type}`;

/** Consumer filters (one per consumer on NATS 2.9): every event of one entity. Never rename. */
export const EventFilters = {
  identityUser: `${EVENTS_SUBJECT_PREFIX}.identity.user.>`,
  listingsItem: `${EVENTS_SUBJECT_PREFIX}.listings.item.>`,
  matchingExchange: `${EVENTS_SUBJECT_PREFIX}.matching.exchange.>`,
} as const;

/** Core-NATS subjects for real-time fan-out to every gateway replica. */
export const rtUserSubject = (userId: number): string => `rt.user.${userId}`;
export const rtExchangeSubject = (exchangeId: string): string => `rt.exchange.${exchangeId}`;
