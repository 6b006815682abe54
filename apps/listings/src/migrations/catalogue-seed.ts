import type { QueryRunner } from 'typeorm';

/** The shape of a catalogue file in apps/listings/data (e.g. categories-v6.json). */
export interface CatalogueFile {
  version: string;
  description: string;
  categories: {
    slug: string;
    name: string;
    group: string;
    emoji: string;
    sort_order: number;
    exchange_type: 'PERMANENT' | 'TEMPORARY';
    form_schema: unknown;
  }[];
  legacy_mappings: { legacy_category: string; new_category_slug: string; exchange_type: 'PERMANENT' | 'TEMPORARY'; confidence: number }[];
}

/**
 * Loads one catalogue version and makes it the active one. A later version is a new
 * migration calling this with its own file: no code changes.
 */
export async function seedCatalogue(q: QueryRunner, file: CatalogueFile): Promise<void> {
  await q.query(`UPDATE listings.catalogue_versions SET is_active = false WHERE is_active`);
  await q.query(`INSERT INTO listings.catalogue_versions (version, description, is_active) VALUES ($1, $2, true)`, [file.version, file.description]);
  await q.query(
    `INSERT INTO listings.categories (version, exchange_type, slug, name, group_name, emoji, sort_order, form_schema)
     SELECT $1, c.exchange_type, c.slug, c.name, c."group", c.emoji, c.sort_order, c.form_schema
     FROM jsonb_to_recordset($2::jsonb) AS c(exchange_type text, slug text, name text, "group" text, emoji text, sort_order int, form_schema jsonb)`,
    [file.version, JSON.stringify(file.categories)],
  );
  await q.query(
    `INSERT INTO listings.legacy_category_mappings (version, legacy_category, exchange_type, new_category_slug, confidence)
     SELECT $1, m.legacy_category, m.exchange_type, m.new_category_slug, m.confidence
     FROM jsonb_to_recordset($2::jsonb) AS m(legacy_category text, exchange_type text, new_category_slug text, confidence numeric)`,
    [file.version, JSON.stringify(file.legacy_mappings)],
  );
}

export async function removeCatalogue(q: QueryRunner, version: string): Promise<void> {
  await q.query(`DELETE FROM listings.legacy_category_mappings WHERE version = $1`, [version]);
  await q.query(`DELETE FROM listings.categories WHERE version = $1`, [version]);
  await q.query(`DELETE FROM listings.catalogue_versions WHERE version = $1`, [version]);
}
