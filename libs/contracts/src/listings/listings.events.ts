import type { ExchangeType, ItemStatus, ItemType } from './listing-rules';

/**
 * Everything matching needs about an item, as of `item_version`. The version grows by
 * one on every change, so a consumer keeps the highest it has seen and ignores older
 * or repeated events.
 */
export interface ItemSnapshotV1 {
  item_id: number;
  listing_id: number;
  user_id: number;
  item_type: ItemType;
  exchange_type: ExchangeType;
  category: string | null;
  item_name: string;
  description: string | null;
  value_tenge: number;
  duration_days: number | null;
  /** Where the item can change hands; empty = the owner's cities (identity's locations). */
  locations: string[];
  status: ItemStatus;
  item_version: number;
  created_at: string;
  updated_at: string;
}

export type ItemCreatedV1 = ItemSnapshotV1;

export interface ItemUpdatedV1 extends ItemSnapshotV1 {
  changed_fields: string[];
}

/** Why an item left the market. */
export type ArchiveReason = 'removed_by_owner' | 'owner_deleted' | 'exchange_completed';
export type HideReason = 'owner_deactivated' | 'moderation';

export interface ItemArchivedV1 extends ItemSnapshotV1 {
  reason: ArchiveReason;
  archived_at: string;
}

export interface ItemHiddenV1 extends ItemSnapshotV1 {
  reason: HideReason;
  hidden_at: string;
}

export interface ItemRestoredV1 extends ItemSnapshotV1 {
  restored_at: string;
}
