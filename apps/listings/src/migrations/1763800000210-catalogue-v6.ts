import type { MigrationInterface, QueryRunner } from 'typeorm';
import catalogue from '../../data/categories-v6.json';
import { removeCatalogue, seedCatalogue, type CatalogueFile } from './catalogue-seed';

/** Catalogue v6.0: 35 PERMANENT and 25 TEMPORARY categories plus the legacy slug mappings. */
export class CatalogueV61763800000210 implements MigrationInterface {
  name = 'CatalogueV61763800000210';

  async up(q: QueryRunner): Promise<void> {
    await seedCatalogue(q, catalogue as CatalogueFile);
  }

  async down(q: QueryRunner): Promise<void> {
    await removeCatalogue(q, (catalogue as CatalogueFile).version);
  }
}
