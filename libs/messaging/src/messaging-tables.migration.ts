import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox and inbox tables every service has in its own schema. */
export function messagingTablesMigration(schema: string): new () => MigrationInterface {
  return class MessagingTables1763800000000 implements MigrationInterface {
    name = 'MessagingTables1763800000000';

    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE "${schema}"."outbox" (
        "id" uuid PRIMARY KEY,
        "seq" bigserial NOT NULL,
        "type" text NOT NULL,
        "subject" text NOT NULL,
        "envelope" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        "attempts" int NOT NULL DEFAULT 0,
        "last_error" text)`);
      await q.query(`CREATE INDEX "outbox_unpublished" ON "${schema}"."outbox" ("seq") WHERE "published_at" IS NULL`);
      await q.query(`CREATE TABLE "${schema}"."inbox" (
        "consumer" text NOT NULL,
        "event_id" uuid NOT NULL,
        "type" text NOT NULL,
        "handled_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("consumer", "event_id"))`);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query(`DROP TABLE "${schema}"."inbox"`);
      await q.query(`DROP TABLE "${schema}"."outbox"`);
    }
  };
}
