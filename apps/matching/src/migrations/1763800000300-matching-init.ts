import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Matching's own data: the projection of active items and users (fed only by listings'
 * and identity's events), the proposals the engine chose (one row per loop key, ever),
 * their participants and timeline, pipeline runs.
 */
export class MatchingInit1763800000300 implements MigrationInterface {
  name = 'MatchingInit1763800000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE matching.items (
      item_id int PRIMARY KEY,
      user_id int NOT NULL,
      item_type text NOT NULL CHECK (item_type IN ('WANT', 'OFFER')),
      exchange_type text NOT NULL CHECK (exchange_type IN ('PERMANENT', 'TEMPORARY')),
      category text,
      item_name text NOT NULL,
      description text,
      value_tenge bigint NOT NULL,
      duration_days int,
      status text NOT NULL,
      item_version int NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX items_user ON matching.items (user_id)`);
    // Items given away in a completed exchange. A separate table (not a column of items) so
    // the confirm transaction never waits on an item row an event handler is updating.
    await q.query(`CREATE TABLE matching.traded_items (
      item_id int PRIMARY KEY,
      exchange_id text NOT NULL,
      traded_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE matching.users (
      user_id int PRIMARY KEY,
      username text,
      full_name text,
      locations text[] NOT NULL DEFAULT '{}',
      state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deactivated', 'deleted')),
      updated_at timestamptz NOT NULL DEFAULT now())`);

    await q.query(`CREATE SEQUENCE matching.exchange_seq`);
    await q.query(`CREATE TABLE matching.exchanges (
      id text PRIMARY KEY,
      seq int NOT NULL UNIQUE,
      key text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('BILATERAL', 'CHAIN')),
      status text NOT NULL CHECK (status IN ('pending', 'accepted', 'completed', 'cancelled')),
      score double precision NOT NULL,
      cancel_reason text,
      declined_by int,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      accepted_at timestamptz,
      completed_at timestamptz,
      cancelled_at timestamptz)`);
    await q.query(`CREATE INDEX exchanges_live ON matching.exchanges (kind, seq) WHERE status IN ('pending', 'accepted')`);
    await q.query(`CREATE TABLE matching.exchange_participants (
      exchange_id text NOT NULL REFERENCES matching.exchanges(id),
      position int NOT NULL,
      user_id int NOT NULL,
      gives_item_id int NOT NULL,
      receives_item_id int NOT NULL,
      want_item_id int NOT NULL,
      accepted_at timestamptz,
      confirmed_at timestamptz,
      PRIMARY KEY (exchange_id, position))`);
    await q.query(`CREATE INDEX exchange_participants_user ON matching.exchange_participants (user_id, exchange_id)`);
    await q.query(`CREATE TABLE matching.exchange_events (
      id bigserial PRIMARY KEY,
      exchange_id text NOT NULL REFERENCES matching.exchanges(id),
      event_type text NOT NULL,
      user_id int,
      details text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await q.query(`CREATE INDEX exchange_events_exchange ON matching.exchange_events (exchange_id, id)`);
    await q.query(`CREATE TABLE matching.pipeline_runs (
      id serial PRIMARY KEY,
      scope_user_id int,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL DEFAULT now(),
      bilateral_matches int NOT NULL,
      exchange_chains int NOT NULL,
      total_participants int NOT NULL,
      status text NOT NULL,
      errors jsonb NOT NULL DEFAULT '[]')`);
    await q.query(`CREATE TABLE matching.counters (name text PRIMARY KEY, value bigint NOT NULL DEFAULT 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['counters', 'pipeline_runs', 'exchange_events', 'exchange_participants', 'exchanges', 'users', 'traded_items', 'items']) {
      await q.query(`DROP TABLE matching.${table}`);
    }
    await q.query(`DROP SEQUENCE matching.exchange_seq`);
  }
}
