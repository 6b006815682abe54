import { Injectable } from '@nestjs/common';
import {
  DEFAULT_LIMIT,
  DomainError,
  type Caller,
  type CreateByCategoriesRequest,
  type CreatedListingView,
  type CreateItemRequest,
  type ItemChange,
  type ItemView,
  type ListItemsCommand,
  type ListItemsQuery,
  type MyItemsQuery,
  type Page,
  type UpdateListingCommand,
  type UpdateListingResult,
  requireCaller,
} from '@app/contracts';
import { TransactionRunner, type Tx } from '@app/messaging';
import { CatalogueService } from '../catalogue/catalogue.service';
import { ItemLifecycle } from '../lifecycle/item-lifecycle.service';
import { OwnersRepository } from '../owners/owners.repository';
import { toItemView } from './item.mapper';
import { resolveItemGroups, resolveSingleItem } from './item-rules';
import { ItemsRepository, type ItemFilter, type ItemRow } from './items.repository';
import { normaliseSearchText } from './search-text';

/** A `user_id` sent by a client is only ever the caller's own. */
function assertSelf(caller: Caller, userId: unknown, field = 'user_id'): void {
  if (userId !== undefined && userId !== null && Number(userId) !== caller.id) {
    throw DomainError.forbidden(`${field} must be your own id (identity comes from the access token)`);
  }
}

export type ItemScope = Pick<ItemFilter, 'statuses' | 'itemType' | 'ownerId'>;

/** A list request → the repository filter (the benchmark EXPLAINs the same filter). */
export function toItemFilter(query: ListItemsQuery, scope: ItemScope): ItemFilter {
  if (query.min_value !== undefined && query.max_value !== undefined && query.min_value > query.max_value) {
    throw DomainError.validation('min_value must not exceed max_value', [{ field: 'min_value', message: 'greater than max_value' }]);
  }
  let text: string | undefined;
  if (query.q !== undefined) {
    text = normaliseSearchText(query.q);
    if (!text) throw DomainError.validation('q must contain a letter or a digit', [{ field: 'q', message: 'no words' }]);
  }
  return {
    ...scope,
    exchangeType: query.exchange_type,
    category: query.category,
    city: query.city,
    text,
    minValue: query.min_value,
    maxValue: query.max_value,
    sort: query.sort ?? 'created',
    order: query.order ?? 'desc',
    skip: query.skip ?? 0,
    limit: query.limit ?? DEFAULT_LIMIT,
  };
}

@Injectable()
export class ItemsService {
  constructor(
    private readonly items: ItemsRepository,
    private readonly owners: OwnersRepository,
    private readonly catalogue: CatalogueService,
    private readonly lifecycle: ItemLifecycle,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Deleted or deactivated accounts list nothing (their tokens are also refused at the gateway). */
  private async requireActiveOwner(caller: Caller | undefined): Promise<Caller> {
    const owner = requireCaller(caller);
    const state = await this.owners.state(owner.id);
    if (state === 'deleted' || state === 'deactivated') throw DomainError.forbidden('This account cannot list items');
    return owner;
  }

  async createByCategories(caller: Caller | undefined, input: CreateByCategoriesRequest): Promise<CreatedListingView> {
    const owner = requireCaller(caller);
    assertSelf(owner, input.user_data?.user_id, 'user_data.user_id');
    const items = resolveItemGroups(input, await this.catalogue.get());
    if (items.length === 0) throw DomainError.validation('wants or offers must contain at least one item', [{ field: 'wants', message: 'no items' }]);
    await this.requireActiveOwner(owner);
    return this.transactions.run(async (tx) => {
      const listing = await this.items.insertListing(tx.em, owner.id, input.locations ?? []);
      const rows = await this.items.insertItems(tx.em, listing, items);
      await this.lifecycle.created(tx, rows);
      return { id: listing.id, user_id: owner.id, created_at: listing.created_at.toISOString(), listings: rows.map(toItemView) };
    });
  }

  async createItem(caller: Caller | undefined, input: CreateItemRequest): Promise<ItemView> {
    const owner = requireCaller(caller);
    const item = resolveSingleItem(input, await this.catalogue.get());
    await this.requireActiveOwner(owner);
    return this.transactions.run(async (tx) => {
      let listing = input.listing_id
        ? await this.items.lockListing(tx.em, owner.id, input.listing_id)
        : await this.items.lockNewestListing(tx.em, owner.id);
      if (!listing && input.listing_id) throw DomainError.notFound(`Listing ${input.listing_id}`);
      listing ??= await this.items.insertListing(tx.em, owner.id, []);
      const [row] = await this.items.insertItems(tx.em, listing, [item]);
      await this.items.touchListing(tx.em, listing.id);
      await this.lifecycle.created(tx, [row]);
      return toItemView(row);
    });
  }

  /** PATCH /listings/{id}: adds, changes and removals commit together or not at all. */
  async update(caller: Caller | undefined, command: UpdateListingCommand): Promise<UpdateListingResult> {
    const owner = requireCaller(caller);
    assertSelf(owner, command.user_id);
    const removeIds = command.remove_items ?? [];
    const changes = command.update_items ?? [];
    const additions = resolveItemGroups(command, await this.catalogue.get());
    if (additions.length + removeIds.length + changes.length === 0) {
      throw DomainError.validation('Nothing to update: send wants, offers, remove_items or update_items', [{ field: 'body', message: 'empty update' }]);
    }
    const both = changes.filter((c) => removeIds.includes(c.id)).map((c) => c.id);
    if (both.length) throw DomainError.validation(`Items ${both.join(', ')} are both changed and removed`, [{ field: 'update_items', message: 'also in remove_items' }]);
    if (new Set(changes.map((c) => c.id)).size !== changes.length) throw DomainError.validation('update_items must not repeat an id', [{ field: 'update_items', message: 'repeated id' }]);
    if (additions.length) await this.requireActiveOwner(owner);

    return this.transactions.run(async (tx) => {
      const listing = await this.items.lockListing(tx.em, owner.id, command.listing_id);
      if (!listing) throw DomainError.notFound(`Listing ${command.listing_id}`);
      const targets = await this.items.lockListingItems(tx.em, owner.id, listing.id, [...removeIds, ...changes.map((c) => c.id)]);
      const byId = new Map(targets.map((row) => [row.id, row]));
      const missing = [...removeIds, ...changes.map((c) => c.id)].filter((id) => !byId.has(id));
      if (missing.length) throw DomainError.notFound(`Item ${missing.join(', ')} of listing ${listing.id}`);

      let updated = 0;
      for (const change of changes) {
        if (await this.applyChange(tx, byId.get(change.id)!, change)) updated += 1;
      }
      // Removing an item that is already archived is a no-op (a retried request is safe).
      const removed = removeIds.length ? await this.lifecycle.archive(tx, { ids: removeIds }, 'removed_by_owner') : [];
      const added = additions.length ? await this.items.insertItems(tx.em, listing, additions) : [];
      await this.lifecycle.created(tx, added);
      await this.items.touchListing(tx.em, listing.id);
      const counts = await this.items.activeCounts(tx.em, listing.id);
      return {
        status: 'success' as const,
        listing_id: listing.id,
        user_id: owner.id,
        items_added: added.length,
        items_removed: removed.length,
        items_updated: updated,
        current_counts: counts,
        added: added.map(toItemView),
        message: 'Listing updated successfully with incremental matching triggered',
      };
    });
  }

  private async applyChange(tx: Tx, row: ItemRow, change: ItemChange): Promise<boolean> {
    const field = `update_items[${change.id}]`;
    if (row.status === 'archived') throw DomainError.validation(`Item ${row.id} is archived and cannot change`, [{ field, message: 'archived' }]);
    // Optional means "leave as it is" when absent; null would erase a required field.
    for (const key of ['item_name', 'value_tenge', 'duration_days'] as const) {
      if (change[key] === null) throw DomainError.validation(`${field}.${key}: must not be null (omit it to keep the value)`, [{ field: `${field}.${key}`, message: 'must not be null' }]);
    }
    if (change.duration_days !== undefined && row.exchange_type === 'PERMANENT') {
      throw DomainError.validation(`${field}.duration_days: must be absent for PERMANENT items`, [{ field: `${field}.duration_days`, message: 'must be absent for PERMANENT items' }]);
    }
    const fields: Record<string, unknown> = {};
    if (change.item_name !== undefined && change.item_name !== row.item_name) fields.item_name = change.item_name;
    if (change.value_tenge !== undefined && change.value_tenge !== Number(row.value_tenge)) fields.value_tenge = change.value_tenge;
    if (change.duration_days !== undefined && change.duration_days !== row.duration_days) fields.duration_days = change.duration_days;
    if (change.description !== undefined) {
      const description = change.description?.trim() || null;
      if (description !== row.description) fields.description = description;
    }
    const changed = Object.keys(fields);
    if (changed.length === 0) return false;
    const [next] = await this.items.updateItem(tx.em, row.id, fields);
    await this.lifecycle.updated(tx, next, changed);
    return true;
  }

  /** Public lists: active items only. */
  async list(command: ListItemsCommand): Promise<Page<ItemView>> {
    return this.page(command, { statuses: ['active'], itemType: command.item_type, ownerId: command.user_id });
  }

  /** The caller's own items in every state (or the one asked for). */
  async listMine(caller: Caller | undefined, query: MyItemsQuery): Promise<Page<ItemView>> {
    const owner = requireCaller(caller);
    assertSelf(owner, query.user_id);
    return this.page(query, { statuses: query.status ? [query.status] : null, ownerId: owner.id });
  }

  private async page(query: ListItemsCommand | MyItemsQuery, scope: ItemScope): Promise<Page<ItemView>> {
    const filter = toItemFilter(query, scope);
    const { rows, total } = await this.items.list(filter);
    return { items: rows.map(toItemView), total, skip: filter.skip, limit: filter.limit };
  }
}
