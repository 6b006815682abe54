import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ItemSnapshotV1 } from '@app/contracts';
import type { MatchItem } from '@app/matching-engine';

export type UserState = 'active' | 'deactivated' | 'deleted';

export interface ProjectedItem {
  item_id: number;
  user_id: number;
  item_type: 'WANT' | 'OFFER';
  exchange_type: 'PERMANENT' | 'TEMPORARY';
  category: string | null;
  item_name: string;
  description: string | null;
  value_tenge: string | number;
  duration_days: number | null;
  status: string;
}

export const toMatchItem = (row: ProjectedItem): MatchItem => ({
  id: row.item_id,
  userId: row.user_id,
  kind: row.item_type,
  exchangeType: row.exchange_type,
  name: row.item_name,
  valueTenge: Number(row.value_tenge),
  durationDays: row.duration_days,
  category: row.category,
  description: row.description,
});

/** The cities the engine may use for a user: none unless the account is active. */
export const effectiveCities = (state: UserState, locations: string[]): string[] => (state === 'active' ? locations : []);

/** Matching's own copy of listings' items and identity's users; nothing else reads or writes it. */
@Injectable()
export class ProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the snapshot unless a newer (or the same) version is already here; false = stale. */
  async upsertItem(em: EntityManager, s: ItemSnapshotV1): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO items (item_id, user_id, item_type, exchange_type, category, item_name, description, value_tenge, duration_days, status, item_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (item_id) DO UPDATE SET user_id = EXCLUDED.user_id, item_type = EXCLUDED.item_type, exchange_type = EXCLUDED.exchange_type,
         category = EXCLUDED.category, item_name = EXCLUDED.item_name, description = EXCLUDED.description, value_tenge = EXCLUDED.value_tenge,
         duration_days = EXCLUDED.duration_days, status = EXCLUDED.status, item_version = EXCLUDED.item_version, updated_at = now()
       WHERE items.item_version < EXCLUDED.item_version
       RETURNING item_id`,
      [s.item_id, s.user_id, s.item_type, s.exchange_type, s.category, s.item_name, s.description, s.value_tenge, s.duration_days, s.status, s.item_version],
    );
    return rows.length > 0;
  }

  async isTraded(em: EntityManager, itemId: number): Promise<boolean> {
    const rows: unknown[] = await em.query(`SELECT 1 FROM traded_items WHERE item_id = $1`, [itemId]);
    return rows.length > 0;
  }

  /** Upserts a user's fields; returns the effective cities before and after. */
  async upsertUser(
    em: EntityManager,
    userId: number,
    fields: { username?: string; full_name?: string | null; locations?: string[]; state?: UserState },
  ): Promise<{ before: string[]; after: string[] }> {
    const old: { locations: string[]; state: UserState }[] = await em.query(`SELECT locations, state FROM users WHERE user_id = $1 FOR UPDATE`, [userId]);
    const rows: { locations: string[]; state: UserState }[] = await em.query(
      `INSERT INTO users (user_id, username, full_name, locations, state) VALUES ($1, $2, $3, coalesce($4::text[], '{}'), coalesce($5, 'active'))
       ON CONFLICT (user_id) DO UPDATE SET username = coalesce($2, users.username),
         full_name = CASE WHEN $6 THEN $3 ELSE users.full_name END,
         locations = coalesce($4::text[], users.locations), state = coalesce($5, users.state), updated_at = now()
       RETURNING locations, state`,
      [userId, fields.username ?? null, fields.full_name ?? null, fields.locations ?? null, fields.state ?? null, 'full_name' in fields],
    );
    const before = old[0] ? effectiveCities(old[0].state, old[0].locations) : [];
    return { before, after: effectiveCities(rows[0].state, rows[0].locations) };
  }

  /** Everything the engine needs at boot: active, untraded items and the users' usable cities. */
  async loadMarket(): Promise<{ items: MatchItem[]; cities: Map<number, string[]> }> {
    const items: ProjectedItem[] = await this.dataSource.query(
      `SELECT item_id, user_id, item_type, exchange_type, category, item_name, description, value_tenge, duration_days, status
       FROM items i WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM traded_items t WHERE t.item_id = i.item_id)`,
    );
    const users: { user_id: number; locations: string[]; state: UserState }[] = await this.dataSource.query(`SELECT user_id, locations, state FROM users`);
    return {
      items: items.map(toMatchItem),
      cities: new Map(users.map((u) => [u.user_id, effectiveCities(u.state, u.locations)])),
    };
  }
}
