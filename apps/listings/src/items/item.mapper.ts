import type { ItemSnapshotV1, ItemView } from '@app/contracts';
import type { ItemRow } from './items.repository';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toItemView(row: ItemRow): ItemView {
  return {
    id: row.id,
    listing_id: row.listing_id,
    user_id: row.user_id,
    item_type: row.item_type,
    exchange_type: row.exchange_type,
    category: row.category,
    item_name: row.item_name,
    title: row.item_name,
    description: row.description,
    value_tenge: Number(row.value_tenge),
    duration_days: row.duration_days,
    status: row.status,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    archived_at: iso(row.archived_at),
    hidden_at: iso(row.hidden_at),
  };
}

export function toSnapshot(row: ItemRow): ItemSnapshotV1 {
  return {
    item_id: row.id,
    listing_id: row.listing_id,
    user_id: row.user_id,
    item_type: row.item_type,
    exchange_type: row.exchange_type,
    category: row.category,
    item_name: row.item_name,
    description: row.description,
    value_tenge: Number(row.value_tenge),
    duration_days: row.duration_days,
    locations: row.locations,
    status: row.status,
    item_version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
