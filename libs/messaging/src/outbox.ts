import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { eventSubject, type EventDataMap, type EventEnvelope, type EventType } from '@app/contracts';
import { currentCorrelationId } from '@app/common';
import { NATS_CONNECTION } from './nats.module';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  /** The producing service's name, stamped on every envelope. */
  producer: string;
  /** Turn off to run the relay elsewhere (or to simulate a crash before publish in tests). */
  relayEnabled: boolean;
  pollIntervalMs: number;
  batchSize: number;
  /** Published rows are kept this long for audit, then removed. */
  retentionHours: number;
}

/** One event to emit: its type, the aggregate it is about, and the payload that type carries. */
export type OutboxEvent = { [T in EventType]: { type: T; aggregateId: string | number; data: EventDataMap[T]; version?: number } }[EventType];

/** A transaction plus the events it will publish once it commits. */
export interface Tx {
  em: EntityManager;
  emit<T extends EventType>(type: T, aggregateId: string | number, data: EventDataMap[T], version?: number): Promise<EventEnvelope<T>>;
  /** Several events in one statement (one round trip), published in this order. */
  emitMany(events: readonly OutboxEvent[]): Promise<EventEnvelope[]>;
}

/** Publishes outbox rows to JetStream with `Nats-Msg-Id` = row id, in commit order. */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly js: JetStreamClient;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {
    this.js = jetstream(nc);
  }

  onApplicationBootstrap(): void {
    if (!this.options.relayEnabled) {
      this.logger.warn('outbox relay disabled: events stay in the outbox until a relay runs');
      return;
    }
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.draining?.catch(() => undefined);
  }

  /** Asks for a publish pass; coalesces with one already running. */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .then(() => undefined)
      .catch((error) => this.logger.error({ err: error }, 'outbox relay pass failed'))
      .finally(() => {
        this.draining = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes until the outbox is empty or a publish fails. Exposed for tests and tools. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published.count;
      if (published.count < this.options.batchSize || published.failed) break;
    }
    await this.cleanup();
    return total;
  }

  private async publishBatch(): Promise<{ count: number; failed: boolean }> {
    return this.dataSource.transaction(async (em) => {
      // SKIP LOCKED lets replicas share the work without publishing a row twice.
      const rows: { id: string; subject: string; envelope: unknown }[] = await em.query(
        `SELECT id, subject, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      const done: string[] = [];
      let failed = false;
      for (const row of rows) {
        try {
          await this.js.publish(row.subject, JSON.stringify(row.envelope), { msgID: row.id });
          done.push(row.id);
        } catch (error) {
          failed = true;
          this.logger.error({ err: error, event_id: row.id, subject: row.subject }, 'publish failed; will retry');
          await em.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [row.id, String(error)]);
          break; // keep commit order: nothing after a failed row goes out first
        }
      }
      if (done.length) await em.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])`, [done]);
      return { count: done.length, failed };
    });
  }

  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 3600_000) return;
    this.lastCleanup = now;
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [this.options.retentionHours]);
  }
}

/**
 * Unit of work: the caller's writes and its events commit together or not at all.
 * The relay is nudged after commit, so events usually leave within milliseconds; the
 * poll loop picks up whatever a crash left behind.
 */
@Injectable()
export class TransactionRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {}

  async run<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    let emitted = 0;
    const result = await this.dataSource.transaction(async (em) => {
      const emitMany = async (events: readonly OutboxEvent[]): Promise<EventEnvelope[]> => {
        if (events.length === 0) return [];
        const correlationId = currentCorrelationId();
        const envelopes = events.map(
          ({ type, aggregateId, data, version = 1 }) =>
            ({
              id: randomUUID(),
              type,
              version,
              occurred_at: new Date().toISOString(),
              producer: this.options.producer,
              aggregate_id: String(aggregateId),
              correlation_id: correlationId,
              data,
            }) as EventEnvelope,
        );
        // Rows are numbered (seq) in the order given, which is the order the relay publishes.
        await em.query(
          `INSERT INTO outbox (id, type, subject, envelope)
           SELECT id, type, subject, envelope FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS t(id, type, subject, envelope, ord)
           ORDER BY ord`,
          [envelopes.map((e) => e.id), envelopes.map((e) => e.type), envelopes.map((e) => eventSubject(e.type)), envelopes.map((e) => JSON.stringify(e))],
        );
        emitted += envelopes.length;
        return envelopes;
      };
      const tx: Tx = {
        em,
        emit: async (type, aggregateId, data, version = 1) => {
          const [envelope] = await emitMany([{ type, aggregateId, data, version } as OutboxEvent]);
          return envelope as EventEnvelope<typeof type>;
        },
        emitMany,
      };
      return work(tx);
    });
    if (emitted > 0) this.relay.kick();
    return result;
  }
}
