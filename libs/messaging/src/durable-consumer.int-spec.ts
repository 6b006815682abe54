import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENTS_STREAM, EventFilters, EventTypes, eventSubject, type EventEnvelope } from '@app/contracts';
import { OpsModule } from '@app/common';
import { DatabaseModule } from '@app/database';
import { ensureDatabase } from '../../devstack/src/database-admin';
import { ConsumerDeps, DurableConsumer, type ConsumerSpec } from './durable-consumer';
import { messagingTablesMigration } from './messaging-tables.migration';
import { NatsModule } from './nats.module';
import { OutboxModule } from './outbox.module';
import { InboxRecord, OutboxRecord } from './outbox.entity';
import { eventually } from '../../testing/src/http';
import { waitForConsumerAck } from '../../testing/src/events';

class ProbeTables1763800000999 implements MigrationInterface {
  name = 'ProbeTables1763800000999';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE probe.effects (id serial PRIMARY KEY, user_id int NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE probe.effects`);
  }
}

/** Fails the first N deliveries of each event, then records one effect row per event. */
@Injectable()
class ProbeConsumer extends DurableConsumer {
  static failuresLeft = 0;
  constructor(deps: ConsumerDeps) {
    super(deps);
  }
  protected spec(): ConsumerSpec {
    return {
      durable: 'probe-identity-users',
      filterSubject: EventFilters.identityUser,
      handlers: {
        [EventTypes.identityUserRegistered]: async (tx, event) => {
          if (ProbeConsumer.failuresLeft > 0) {
            ProbeConsumer.failuresLeft -= 1;
            throw new Error('transient failure');
          }
          await tx.em.query(`INSERT INTO effects (user_id) VALUES ($1)`, [event.data.user_id]);
        },
      },
    };
  }
}

describe('DurableConsumer (real Postgres and JetStream)', () => {
  let app: INestApplication;
  let nc: NatsConnection;
  let db: Client;

  beforeAll(async () => {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const database = `t_probe_${Date.now()}`;
    await ensureDatabase(adminUrl, database);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    @Module({
      imports: [
        OpsModule,
        DatabaseModule.forService({ schema: 'probe', url: url.toString(), entities: [OutboxRecord, InboxRecord], migrations: [messagingTablesMigration('probe'), ProbeTables1763800000999], runMigrations: true }),
        NatsModule.forRoot({ url: process.env.TEST_NATS_URL!, name: 'probe' }),
        OutboxModule.forRoot({ producer: 'probe', relayEnabled: true, pollIntervalMs: 200, batchSize: 10, retentionHours: 1 }),
      ],
      providers: [ProbeConsumer],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { logger: false });
    await app.init();
    nc = await connect({ servers: process.env.TEST_NATS_URL! });
    db = new Client({ connectionString: url.toString() });
    await db.connect();
  });
  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await db?.end();
  });

  const registered = (userId: number): EventEnvelope<typeof EventTypes.identityUserRegistered> => ({
    id: randomUUID(),
    type: EventTypes.identityUserRegistered,
    version: 1,
    occurred_at: new Date().toISOString(),
    producer: 'test',
    aggregate_id: String(userId),
    data: { user_id: userId, username: `u${userId}`, full_name: null, city: null, locations: [], role: 'user' },
  });
  const effects = async (userId: number) => Number((await db.query('SELECT count(*) AS n FROM probe.effects WHERE user_id = $1', [userId])).rows[0].n);

  it('applies an event once even when it is delivered twice', async () => {
    const event = registered(101);
    const js = jetstream(nc);
    // Two different message ids: JetStream keeps both, as after its dedupe window.
    await js.publish(eventSubject(event.type), JSON.stringify(event), { msgID: `${event.id}-a` });
    const second = await js.publish(eventSubject(event.type), JSON.stringify(event), { msgID: `${event.id}-b` });
    await eventually(async () => (await effects(101)) === 1);
    // Both deliveries taken and acked before counting again.
    await waitForConsumerAck(nc, 'probe-identity-users', second.seq);
    expect(await effects(101)).toBe(1);
    const inbox = await db.query('SELECT consumer, type FROM probe.inbox WHERE event_id = $1', [event.id]);
    expect(inbox.rows).toEqual([{ consumer: 'probe-identity-users', type: 'identity.user.registered' }]);
  });

  it('retries a failing handler and leaves no partial effect', async () => {
    ProbeConsumer.failuresLeft = 2;
    const event = registered(202);
    await jetstream(nc).publish(eventSubject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => (await effects(202)) === 1, 10_000);
    expect(ProbeConsumer.failuresLeft).toBe(0);
  });

  it('acknowledges events it has no handler for', async () => {
    const other = { ...registered(303), type: EventTypes.identityUserDeleted, data: { user_id: 303, deleted_at: new Date().toISOString() } };
    await jetstream(nc).publish(eventSubject(other.type), JSON.stringify(other), { msgID: other.id });
    const event = registered(304);
    await jetstream(nc).publish(eventSubject(event.type), JSON.stringify(event), { msgID: event.id });
    await eventually(async () => (await effects(304)) === 1);
    expect((await db.query('SELECT count(*) AS n FROM probe.inbox WHERE event_id = $1', [other.id])).rows[0].n).toBe('0');
    // Acked, not left pending or bounced back for redelivery.
    const jsm = await jetstreamManager(nc);
    const info = await eventually(async () => {
      const i = await jsm.consumers.info(EVENTS_STREAM, 'probe-identity-users');
      return i.num_ack_pending === 0 && i.num_pending === 0 ? i : undefined;
    });
    expect(info.num_redelivered).toBe(0);
  });
});
