import type { ExchangeType, ItemStatus, ItemType } from './listing-rules';

/** One want or offer as every list shows it (`title` is the contract's name for `item_name`). */
export interface ItemView {
  id: number;
  listing_id: number;
  user_id: number;
  item_type: ItemType;
  exchange_type: ExchangeType;
  category: string | null;
  item_name: string;
  title: string;
  description: string | null;
  value_tenge: number;
  duration_days: number | null;
  status: ItemStatus;
  version: number;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  hidden_at: string | null;
}

/** 201 of create-by-categories: the listing and every item created. */
export interface CreatedListingView {
  id: number;
  user_id: number;
  created_at: string;
  listings: ItemView[];
}

export interface UpdateListingResult {
  status: 'success';
  listing_id: number;
  user_id: number;
  items_added: number;
  items_removed: number;
  items_updated: number;
  current_counts: { wants: number; offers: number };
  added: ItemView[];
  message: string;
}
