import type { CategoryView, ExchangeType } from '@app/contracts';
import type { CategoryRow, LegacyMappingRow } from './catalogue.repository';

/** One catalogue version in memory: lookups by exchange type and slug, legacy slugs resolved. */
export class Catalogue {
  private readonly byType = new Map<ExchangeType, CategoryRow[]>();
  private readonly slugs = new Map<string, Set<ExchangeType>>();
  /** legacy slug → exchange type → best v6 slug (highest confidence). */
  private readonly legacy = new Map<string, Map<ExchangeType, string>>();

  constructor(
    readonly version: string,
    readonly description: string,
    rows: CategoryRow[],
    mappings: LegacyMappingRow[],
  ) {
    for (const row of rows) {
      this.byType.set(row.exchange_type, [...(this.byType.get(row.exchange_type) ?? []), row]);
      this.slugs.set(row.slug, new Set([...(this.slugs.get(row.slug) ?? []), row.exchange_type]));
    }
    for (const m of mappings) {
      if (!this.slugs.get(m.new_category_slug)?.has(m.exchange_type)) continue; // dangling mapping in the data
      const forSlug = this.legacy.get(m.legacy_category) ?? new Map<ExchangeType, string>();
      if (!forSlug.has(m.exchange_type)) forSlug.set(m.exchange_type, m.new_category_slug); // rows come best-first
      this.legacy.set(m.legacy_category, forSlug);
    }
  }

  categories(type: ExchangeType): CategoryView[] {
    return (this.byType.get(type) ?? []).map(({ exchange_type: _, ...view }) => view);
  }

  groups(type: ExchangeType): string[] {
    return [...new Set((this.byType.get(type) ?? []).map((c) => c.group))];
  }

  /** Is `slug` (current or legacy) known at all? */
  knows(slug: string): boolean {
    return this.slugs.has(slug) || this.legacy.has(slug);
  }

  /** The exchange types a slug (current or legacy) can be used with. */
  exchangeTypesOf(slug: string): ExchangeType[] {
    const types = new Set<ExchangeType>([...(this.slugs.get(slug) ?? []), ...(this.legacy.get(slug)?.keys() ?? [])]);
    return [...types].sort();
  }

  /** The current slug for `slug` with `type`, or null when the catalogue has no such category. */
  resolve(slug: string, type: ExchangeType): string | null {
    if (this.slugs.get(slug)?.has(type)) return slug;
    return this.legacy.get(slug)?.get(type) ?? null;
  }
}
