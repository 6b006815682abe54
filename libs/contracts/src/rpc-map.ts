import type { RpcSubjects } from './subjects';
import type {
  ChangePasswordRequest,
  LoginRequest,
  LogoutCommand,
  RefreshCommand,
  RegisterRequest,
} from './identity/auth.dto';
import type {
  CreateUserRequest,
  SetActiveCommand,
  UpdateLocationsCommand,
  UpdateProfileRequest,
  UserIdRequest,
  UsernameRequest,
} from './identity/users.dto';
import type {
  AuthResult,
  LocationsResult,
  MeResult,
  MessageResult,
  RefreshResult,
  RevokeSessionsResult,
  UserPrivateView,
  UserView,
} from './identity/views';
import type { CatalogueQuery, CatalogueView, CategoriesByTypeRequest, CategoryGroupsView, CategoryView } from './listings/categories.dto';
import type { CreateByCategoriesRequest, CreateItemRequest, ListItemsCommand, MyItemsQuery, UpdateListingCommand } from './listings/items.dto';
import type { CreatedListingView, ItemView, UpdateListingResult } from './listings/views';
import type { Page } from './pagination';
import type {
  ChainActionCommand,
  ChainsListQuery,
  ChainsOfUserCommand,
  ConfirmExchangeCommand,
  DiscoverChainsRequest,
  ExchangeIdCommand,
  HistoryExportQuery,
  HistoryQuery,
  RunPipelineRequest,
  TestFlowRequest,
} from './matching/matching.dto';
import type {
  ChainActionResult,
  ChainsPage,
  ConfirmResult,
  DiscoverChainsResult,
  ExchangeHistoryView,
  ExchangeView,
  ExportFile,
  HistoryPage,
  MatchingStatusView,
  RunPipelineResult,
  TestFlowResult,
} from './matching/matching.views';

type Empty = Record<string, never>;

/** Subject → request and response types. `BusClient.send` checks both at compile time. */
export interface RpcMap {
  [RpcSubjects.identityUsersCreate]: { request: CreateUserRequest; response: UserPrivateView };
  [RpcSubjects.identityUsersGet]: { request: UserIdRequest; response: UserView };
  [RpcSubjects.identityUsersGetByUsername]: { request: UsernameRequest; response: UserView };
  [RpcSubjects.identityUsersUpdateLocations]: { request: UpdateLocationsCommand; response: LocationsResult };
  [RpcSubjects.identityUsersUpdateProfile]: { request: UpdateProfileRequest; response: UserPrivateView };
  [RpcSubjects.identityUsersDeleteAccount]: { request: Empty; response: MessageResult };
  [RpcSubjects.identityUsersSetActive]: { request: SetActiveCommand; response: UserPrivateView };
  [RpcSubjects.identityAuthRegister]: { request: RegisterRequest; response: AuthResult };
  [RpcSubjects.identityAuthLogin]: { request: LoginRequest; response: AuthResult };
  [RpcSubjects.identityAuthRefresh]: { request: RefreshCommand; response: RefreshResult };
  [RpcSubjects.identityAuthLogout]: { request: LogoutCommand; response: MessageResult };
  [RpcSubjects.identityAuthChangePassword]: { request: ChangePasswordRequest; response: MessageResult };
  [RpcSubjects.identityAuthRevokeSessions]: { request: Empty; response: RevokeSessionsResult };
  [RpcSubjects.identityAuthMe]: { request: Empty; response: MeResult };
  [RpcSubjects.listingsCatalogueGet]: { request: CatalogueQuery; response: CatalogueView };
  [RpcSubjects.listingsCategoriesByType]: { request: CategoriesByTypeRequest; response: CategoryView[] };
  [RpcSubjects.listingsCategoryGroups]: { request: CategoriesByTypeRequest; response: CategoryGroupsView };
  [RpcSubjects.listingsCreateByCategories]: { request: CreateByCategoriesRequest; response: CreatedListingView };
  [RpcSubjects.listingsUpdate]: { request: UpdateListingCommand; response: UpdateListingResult };
  [RpcSubjects.listingsItemsCreate]: { request: CreateItemRequest; response: ItemView };
  [RpcSubjects.listingsItemsList]: { request: ListItemsCommand; response: Page<ItemView> };
  [RpcSubjects.listingsItemsListMine]: { request: MyItemsQuery; response: Page<ItemView> };
  [RpcSubjects.matchingExchangesListMine]: { request: Empty; response: ExchangeView[] };
  [RpcSubjects.matchingExchangesConfirm]: { request: ConfirmExchangeCommand; response: ConfirmResult };
  [RpcSubjects.matchingChainsDiscover]: { request: DiscoverChainsRequest; response: DiscoverChainsResult };
  [RpcSubjects.matchingChainsList]: { request: ChainsListQuery; response: ChainsPage };
  [RpcSubjects.matchingChainsOfUser]: { request: ChainsOfUserCommand; response: ChainsPage };
  [RpcSubjects.matchingChainsAccept]: { request: ChainActionCommand; response: ChainActionResult };
  [RpcSubjects.matchingChainsDecline]: { request: ChainActionCommand; response: ChainActionResult };
  [RpcSubjects.matchingHistoryList]: { request: HistoryQuery; response: HistoryPage };
  [RpcSubjects.matchingHistoryGet]: { request: ExchangeIdCommand; response: ExchangeHistoryView };
  [RpcSubjects.matchingHistoryExport]: { request: HistoryExportQuery; response: ExportFile };
  [RpcSubjects.matchingPipelineRun]: { request: RunPipelineRequest; response: RunPipelineResult };
  [RpcSubjects.matchingPipelineStatus]: { request: Empty; response: MatchingStatusView };
  [RpcSubjects.matchingTestFlow]: { request: TestFlowRequest; response: TestFlowResult };
}

export type RpcRequestOf<S extends keyof RpcMap> = RpcMap[S]['request'];
export type RpcResponseOf<S extends keyof RpcMap> = RpcMap[S]['response'];
