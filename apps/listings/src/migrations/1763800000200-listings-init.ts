import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalogue tables (filled by data migrations, one per catalogue version), listings, items, owners. */
export class ListingsInit1763800000200 implements MigrationInterface {
  name = 'ListingsInit1763800000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE listings.catalogue_versions (
      version text PRIMARY KEY,
      description text NOT NULL,
      is_active boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now())`);
    // Exactly one version answers by default; a later version's migration flips it.
    await q.query(`CREATE UNIQUE INDEX catalogue_versions_one_active ON listings.catalogue_versions (is_active) WHERE is_active`);
    await q.query(`CREATE TABLE listings.categories (
      version text NOT NULL REFERENCES listings.catalogue_versions(version),
      exchange_type text NOT NULL CHECK (exchange_type IN ('PERMANENT', 'TEMPORARY')),
      slug text NOT NULL,
      name text NOT NULL,
      group_name text NOT NULL,
      emoji text NOT NULL,
      sort_order int NOT NULL,
      form_schema jsonb,
      PRIMARY KEY (version, exchange_type, slug))`);
    await q.query(`CREATE TABLE listings.legacy_category_mappings (
      version text NOT NULL,
      legacy_category text NOT NULL,
      exchange_type text NOT NULL,
      new_category_slug text NOT NULL,
      confidence numeric(3,2) NOT NULL,
      PRIMARY KEY (version, legacy_category, exchange_type, new_category_slug))`);
    // No foreign key to categories: v6.0's file maps furniture → furniture_appliances for
    // TEMPORARY, a category that only exists as PERMANENT. The rows are kept as published;
    // resolution only follows a mapping whose target exists (Catalogue.resolve).

    await q.query(`CREATE TABLE listings.listings (
      id serial PRIMARY KEY,
      user_id int NOT NULL,
      locations text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX listings_user ON listings.listings (user_id, id)`);

    await q.query(`CREATE TABLE listings.items (
      id serial PRIMARY KEY,
      listing_id int NOT NULL REFERENCES listings.listings(id),
      user_id int NOT NULL,
      item_type text NOT NULL CHECK (item_type IN ('WANT', 'OFFER')),
      exchange_type text NOT NULL CHECK (exchange_type IN ('PERMANENT', 'TEMPORARY')),
      category text,
      item_name text NOT NULL CHECK (char_length(item_name) BETWEEN 1 AND 100),
      description text CHECK (char_length(description) <= 1000),
      value_tenge bigint NOT NULL CHECK (value_tenge > 0),
      duration_days int,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'hidden')),
      status_reason text,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      hidden_at timestamptz,
      -- Text search: the russian snowball config stems Russian and English words and
      -- folds case; ё is folded to е on both sides so "ёлка" finds "елка".
      search tsvector GENERATED ALWAYS AS (to_tsvector('russian', translate(item_name || ' ' || coalesce(description, ''), 'Ёё', 'Ее'))) STORED,
      CONSTRAINT items_duration CHECK (
        (exchange_type = 'TEMPORARY' AND duration_days BETWEEN 1 AND 365) OR (exchange_type = 'PERMANENT' AND duration_days IS NULL)))`);
    // Public lists only ever read active items: partial indexes per sort.
    await q.query(`CREATE INDEX items_active_created ON listings.items (item_type, created_at DESC, id DESC) WHERE status = 'active'`);
    await q.query(`CREATE INDEX items_active_value ON listings.items (item_type, value_tenge, id) WHERE status = 'active'`);
    await q.query(`CREATE INDEX items_active_category ON listings.items (category, item_type) WHERE status = 'active'`);
    await q.query(`CREATE INDEX items_active_search ON listings.items USING gin (search) WHERE status = 'active'`);
    await q.query(`CREATE INDEX items_owner ON listings.items (user_id, id)`);
    await q.query(`CREATE INDEX items_listing ON listings.items (listing_id)`);

    // Every version of every item, so an archived item keeps its history.
    await q.query(`CREATE TABLE listings.item_history (
      item_id int NOT NULL REFERENCES listings.items(id),
      version int NOT NULL,
      change text NOT NULL,
      reason text,
      snapshot jsonb NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (item_id, version))`);

    // Projection of identity's users (their cities and whether they can list), fed by events.
    await q.query(`CREATE TABLE listings.owners (
      user_id int PRIMARY KEY,
      locations text[] NOT NULL DEFAULT '{}',
      state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deactivated', 'deleted')),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX owners_locations ON listings.owners USING gin (locations)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['owners', 'item_history', 'items', 'listings', 'legacy_category_mappings', 'categories', 'catalogue_versions']) {
      await q.query(`DROP TABLE listings.${table}`);
    }
  }
}
