import { Injectable } from '@nestjs/common';
import { DomainError, type CatalogueView, type CategoryGroupsView, type CategoryView, type ExchangeType } from '@app/contracts';
import { Catalogue } from './catalogue';
import { CatalogueRepository } from './catalogue.repository';

const CACHE_MS = 60_000;

/**
 * Catalogue versions are data (a later version arrives by migration), read once and
 * cached briefly: every item validation needs the active one.
 */
@Injectable()
export class CatalogueService {
  private readonly cache = new Map<string, { at: number; catalogue: Promise<Catalogue | null> }>();

  constructor(private readonly repository: CatalogueRepository) {}

  /** The given version, or the active one; 404 for an unknown version. */
  async get(version?: string): Promise<Catalogue> {
    const key = version ?? '';
    const hit = this.cache.get(key);
    let pending = hit && Date.now() - hit.at < CACHE_MS ? hit.catalogue : undefined;
    if (!pending) {
      pending = this.load(version ?? null);
      this.cache.set(key, { at: Date.now(), catalogue: pending });
      pending.catch(() => this.cache.delete(key));
    }
    const catalogue = await pending;
    if (!catalogue) throw version ? DomainError.notFound(`Category version ${version}`) : DomainError.notFound('Active category version');
    return catalogue;
  }

  private async load(version: string | null): Promise<Catalogue | null> {
    const found = await this.repository.findVersion(version);
    if (!found) return null;
    const [rows, mappings] = await Promise.all([this.repository.categories(found.version), this.repository.legacyMappings(found.version)]);
    return new Catalogue(found.version, found.description, rows, mappings);
  }

  async view(version?: string): Promise<CatalogueView> {
    const catalogue = await this.get(version);
    return {
      version: catalogue.version,
      description: catalogue.description,
      categories: { permanent: catalogue.categories('PERMANENT'), temporary: catalogue.categories('TEMPORARY') },
    };
  }

  async categories(type: ExchangeType, version?: string): Promise<CategoryView[]> {
    return (await this.get(version)).categories(type);
  }

  async groups(type: ExchangeType, version?: string): Promise<CategoryGroupsView> {
    return { groups: (await this.get(version)).groups(type) };
  }
}
