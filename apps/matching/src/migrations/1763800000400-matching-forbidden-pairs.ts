import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pairings a participant declined: `want_item_id` must never again be satisfied by
 * `offer_item_id`. The engine re-applies them on every boot (`load`), so a declined loop
 * never comes back, even after a restart.
 */
export class MatchingForbiddenPairs1763800000400 implements MigrationInterface {
  name = 'MatchingForbiddenPairs1763800000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE matching.forbidden_pairs (
      want_item_id int NOT NULL,
      offer_item_id int NOT NULL,
      exchange_id text NOT NULL,
      user_id int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (want_item_id, offer_item_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE matching.forbidden_pairs`);
  }
}
