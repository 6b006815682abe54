import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CategoryView, ExchangeType } from '@app/contracts';

export interface CategoryRow extends CategoryView {
  exchange_type: ExchangeType;
}

export interface LegacyMappingRow {
  legacy_category: string;
  exchange_type: ExchangeType;
  new_category_slug: string;
  confidence: number;
}

/** Queries on the catalogue tables (read-only at run time; migrations write them). */
@Injectable()
export class CatalogueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findVersion(version: string | null): Promise<{ version: string; description: string } | null> {
    const rows: { version: string; description: string }[] = version
      ? await this.dataSource.query(`SELECT version, description FROM catalogue_versions WHERE version = $1`, [version])
      : await this.dataSource.query(`SELECT version, description FROM catalogue_versions WHERE is_active`);
    return rows[0] ?? null;
  }

  categories(version: string): Promise<CategoryRow[]> {
    return this.dataSource.query(
      `SELECT exchange_type, slug, name, group_name AS "group", emoji, sort_order, form_schema
       FROM categories WHERE version = $1 ORDER BY exchange_type, sort_order, slug`,
      [version],
    );
  }

  async legacyMappings(version: string): Promise<LegacyMappingRow[]> {
    const rows: (Omit<LegacyMappingRow, 'confidence'> & { confidence: string })[] = await this.dataSource.query(
      `SELECT legacy_category, exchange_type, new_category_slug, confidence FROM legacy_category_mappings
       WHERE version = $1 ORDER BY legacy_category, exchange_type, confidence DESC, new_category_slug`,
      [version],
    );
    return rows.map((r) => ({ ...r, confidence: Number(r.confidence) }));
  }
}
