import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ExchangeType, ItemSort, ItemStatus, ItemType } from '@app/contracts';
import type { NewItem } from './item-rules';

/** An items row joined with its listing's locations (what views and events are built from). */
export interface ItemRow {
  id: number;
  listing_id: number;
  user_id: number;
  item_type: ItemType;
  exchange_type: ExchangeType;
  category: string | null;
  item_name: string;
  description: string | null;
  value_tenge: string;
  duration_days: number | null;
  status: ItemStatus;
  status_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  hidden_at: Date | null;
  locations: string[];
}

export interface ListingRow {
  id: number;
  user_id: number;
  locations: string[];
  created_at: Date;
}

export interface ItemFilter {
  /** Only this owner's items (owner lists) or anyone's (public lists). */
  ownerId?: number;
  /** null = every state (the owner's own list). */
  statuses: ItemStatus[] | null;
  itemType?: ItemType;
  exchangeType?: ExchangeType;
  category?: string;
  city?: string;
  /** Already normalised (see normaliseSearchText). */
  text?: string;
  minValue?: number;
  maxValue?: number;
  sort: ItemSort;
  order: 'asc' | 'desc';
  skip: number;
  limit: number;
}

const ITEM_COLUMNS = `i.id, i.listing_id, i.user_id, i.item_type, i.exchange_type, i.category, i.item_name, i.description, i.value_tenge,
  i.duration_days, i.status, i.status_reason, i.version, i.created_at, i.updated_at, i.archived_at, i.hidden_at`;

/** `WITH i AS (<write … RETURNING *>)` → rows with their listing's locations. */
const withLocations = (write: string) => `WITH i AS (${write}) SELECT ${ITEM_COLUMNS}, l.locations FROM i JOIN listings l ON l.id = i.listing_id ORDER BY i.id`;

const SORT_COLUMN: Record<ItemSort, string> = { created: 'i.created_at', value: 'i.value_tenge', name: "translate(lower(i.item_name), 'ё', 'е')" };

/**
 * Queries on listings and items. Methods that touch a user's data take the owner id,
 * so an ownership check cannot be forgotten.
 */
@Injectable()
export class ItemsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertListing(em: EntityManager, ownerId: number, locations: string[]): Promise<ListingRow> {
    const rows: ListingRow[] = await em.query(`INSERT INTO listings (user_id, locations) VALUES ($1, $2) RETURNING id, user_id, locations, created_at`, [ownerId, locations]);
    return rows[0];
  }

  async lockListing(em: EntityManager, ownerId: number, listingId: number): Promise<ListingRow | null> {
    const rows: ListingRow[] = await em.query(`SELECT id, user_id, locations, created_at FROM listings WHERE id = $1 AND user_id = $2 FOR UPDATE`, [listingId, ownerId]);
    return rows[0] ?? null;
  }

  async lockNewestListing(em: EntityManager, ownerId: number): Promise<ListingRow | null> {
    const rows: ListingRow[] = await em.query(`SELECT id, user_id, locations, created_at FROM listings WHERE user_id = $1 ORDER BY id DESC LIMIT 1 FOR UPDATE`, [ownerId]);
    return rows[0] ?? null;
  }

  async touchListing(em: EntityManager, listingId: number): Promise<void> {
    await em.query(`UPDATE listings SET updated_at = now() WHERE id = $1`, [listingId]);
  }

  insertItems(em: EntityManager, listing: ListingRow, items: NewItem[]): Promise<ItemRow[]> {
    return em.query(
      withLocations(`INSERT INTO items (listing_id, user_id, item_type, exchange_type, category, item_name, description, value_tenge, duration_days)
        SELECT $1, $2, n.item_type, n.exchange_type, n.category, n.item_name, n.description, n.value_tenge, n.duration_days
        FROM ROWS FROM (jsonb_to_recordset($3::jsonb) AS (item_type text, exchange_type text, category text, item_name text, description text, value_tenge bigint, duration_days int))
          WITH ORDINALITY AS n(item_type, exchange_type, category, item_name, description, value_tenge, duration_days, ord)
        ORDER BY n.ord
        RETURNING *`),
      [listing.id, listing.user_id, JSON.stringify(items)],
    );
  }

  /** The owner's items of one listing among `ids`, locked for change. */
  lockListingItems(em: EntityManager, ownerId: number, listingId: number, ids: number[]): Promise<ItemRow[]> {
    return em.query(
      `SELECT ${ITEM_COLUMNS}, l.locations FROM items i JOIN listings l ON l.id = i.listing_id
       WHERE i.id = ANY($3::int[]) AND i.listing_id = $2 AND i.user_id = $1 ORDER BY i.id FOR UPDATE OF i`,
      [ownerId, listingId, ids],
    );
  }

  /** Sets the given fields of one item and bumps its version. */
  updateItem(em: EntityManager, id: number, fields: Partial<Pick<ItemRow, 'item_name' | 'description' | 'duration_days'>> & { value_tenge?: number }): Promise<ItemRow[]> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [column, value] of Object.entries(fields)) {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    return em.query(withLocations(`UPDATE items SET ${sets.join(', ')}, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`), params);
  }

  /** Moves items from one of `from` to `to`; only rows that actually change come back (with their new version). */
  transition(em: EntityManager, where: { ids?: number[]; ownerId?: number }, from: ItemStatus[], to: ItemStatus, reason: string, onlyReason?: string): Promise<ItemRow[]> {
    const params: unknown[] = [to, reason, from];
    const conditions = [`status = ANY($3::text[])`];
    if (where.ids) {
      params.push(where.ids);
      conditions.push(`id = ANY($${params.length}::int[])`);
    }
    if (where.ownerId !== undefined) {
      params.push(where.ownerId);
      conditions.push(`user_id = $${params.length}`);
    }
    if (onlyReason !== undefined) {
      params.push(onlyReason);
      conditions.push(`status_reason = $${params.length}`);
    }
    if (!where.ids && where.ownerId === undefined) throw new Error('transition needs ids or an owner');
    return em.query(
      withLocations(`UPDATE items SET status = $1, status_reason = CASE WHEN $1 = 'active' THEN NULL ELSE $2 END, version = version + 1, updated_at = now(),
        archived_at = CASE WHEN $1 = 'archived' THEN now() ELSE archived_at END,
        hidden_at = CASE WHEN $1 = 'hidden' THEN now() WHEN $1 = 'active' THEN NULL ELSE hidden_at END
        WHERE ${conditions.join(' AND ')} RETURNING *`),
      params,
    );
  }

  async recordHistory(em: EntityManager, rows: { item_id: number; version: number; change: string; reason: string | null; snapshot: unknown }[]): Promise<void> {
    if (rows.length === 0) return;
    await em.query(
      `INSERT INTO item_history (item_id, version, change, reason, snapshot)
       SELECT h.item_id, h.version, h.change, h.reason, h.snapshot FROM jsonb_to_recordset($1::jsonb) AS h(item_id int, version int, change text, reason text, snapshot jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  async activeCounts(em: EntityManager, listingId: number): Promise<{ wants: number; offers: number }> {
    const rows: { wants: number; offers: number }[] = await em.query(
      `SELECT count(*) FILTER (WHERE item_type = 'WANT')::int AS wants, count(*) FILTER (WHERE item_type = 'OFFER')::int AS offers
       FROM items WHERE listing_id = $1 AND status = 'active'`,
      [listingId],
    );
    return rows[0];
  }

  /** One page of items plus the total, for public lists and the owner's own. */
  async list(filter: ItemFilter): Promise<{ rows: ItemRow[]; total: number }> {
    const { page, count, params } = this.listQueries(filter);
    const [rows, counted] = await Promise.all([this.dataSource.query(page, params), this.dataSource.query(count, params)]);
    return { rows, total: counted[0].total };
  }

  /**
   * The SQL `list` runs (public so the benchmark can EXPLAIN ANALYZE exactly these
   * queries). Lists read `items` alone: views carry no locations, and the city filter
   * looks its listing and owner up per candidate row.
   */
  listQueries(filter: ItemFilter): { page: string; count: string; params: unknown[] } {
    const { where, params } = this.conditions(filter);
    const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
    const order = `${SORT_COLUMN[filter.sort]} ${direction}, i.id ${direction}`;
    return {
      page: `SELECT ${ITEM_COLUMNS}, '{}'::text[] AS locations FROM items i ${where} ORDER BY ${order} LIMIT ${Math.trunc(filter.limit)} OFFSET ${Math.trunc(filter.skip)}`,
      count: `SELECT count(*)::int AS total FROM items i ${where}`,
      params,
    };
  }

  private conditions(filter: ItemFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.statuses) add((p) => (filter.statuses!.length === 1 ? `i.status = ${p}` : `i.status = ANY(${p}::text[])`), filter.statuses.length === 1 ? filter.statuses[0] : filter.statuses);
    if (filter.ownerId !== undefined) add((p) => `i.user_id = ${p}`, filter.ownerId);
    if (filter.itemType) add((p) => `i.item_type = ${p}`, filter.itemType);
    if (filter.exchangeType) add((p) => `i.exchange_type = ${p}`, filter.exchangeType);
    if (filter.category) add((p) => `i.category = ${p}`, filter.category);
    if (filter.minValue !== undefined) add((p) => `i.value_tenge >= ${p}`, filter.minValue);
    if (filter.maxValue !== undefined) add((p) => `i.value_tenge <= ${p}`, filter.maxValue);
    if (filter.text) add((p) => `i.search @@ plainto_tsquery('russian', ${p})`, filter.text);
    // An item is in the listing's cities, or (none given) in its owner's cities.
    if (filter.city) {
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM listings l WHERE l.id = i.listing_id AND (${p} = ANY(l.locations) OR ` +
          `(cardinality(l.locations) = 0 AND EXISTS (SELECT 1 FROM owners o WHERE o.user_id = i.user_id AND ${p} = ANY(o.locations)))))`,
        filter.city,
      );
    }
    return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
  }
}
