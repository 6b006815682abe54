import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * listings.owners is read by user_id only (a new listing's default cities); the GIN
 * index on its locations served no query and cost every identity event a write.
 * (City search uses listings.locations.)
 */
export class DropOwnersLocationsIndex1763800000220 implements MigrationInterface {
  name = 'DropOwnersLocationsIndex1763800000220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS listings.owners_locations`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS owners_locations ON listings.owners USING gin (locations)`);
  }
}
