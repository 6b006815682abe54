import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, type EventEnvelope, type EventType } from '@app/contracts';
import { runWithCorrelation } from '@app/common';
import { NATS_CONNECTION } from './nats.module';
import { nanos } from './jetstream';
import { TransactionRunner, type Tx } from './outbox';

export type EventHandler<T extends EventType> = (tx: Tx, event: EventEnvelope<T>) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** What a concrete consumer declares. */
export interface ConsumerSpec {
  /** Durable name; replicas share it, so each event is handled once per service. Never rename. */
  durable: string;
  /** One JetStream filter (NATS 2.9 takes one per consumer), e.g. `events.identity.user.>`. */
  filterSubject: string;
  handlers: EventHandlers;
  maxDeliver?: number;
}

/** Everything the base needs, injected once so subclasses stay short. */
@Injectable()
export class ConsumerDeps {
  constructor(
    @Inject(NATS_CONNECTION) readonly nc: NatsConnection,
    readonly transactions: TransactionRunner,
  ) {}
}

const RETRY_DELAYS_MS = [200, 1000, 5000, 15000, 60000];

/**
 * An idempotent durable consumer: the event id goes into `inbox` in the same
 * transaction as the handler's effect, so a redelivery (crash before ack, replay)
 * changes nothing. Failures are retried with backoff, then parked with a log line.
 */
export abstract class DurableConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;

  protected constructor(private readonly deps: ConsumerDeps) {}

  protected abstract spec(): ConsumerSpec;

  async onApplicationBootstrap(): Promise<void> {
    const spec = this.spec();
    const jsm = await jetstreamManager(this.deps.nc);
    const config = {
      durable_name: spec.durable,
      filter_subject: spec.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_deliver: spec.maxDeliver ?? 20,
    };
    try {
      await jsm.consumers.info(EVENTS_STREAM, spec.durable);
      await jsm.consumers.update(EVENTS_STREAM, spec.durable, { filter_subject: config.filter_subject, max_deliver: config.max_deliver, ack_wait: config.ack_wait });
    } catch {
      await jsm.consumers.add(EVENTS_STREAM, config).catch(async (error) => {
        await jsm.consumers.info(EVENTS_STREAM, spec.durable).catch(() => {
          throw error;
        });
      });
    }
    const consumer = await jetstream(this.deps.nc).consumers.get(EVENTS_STREAM, spec.durable);
    this.messages = await consumer.consume({ max_messages: 64 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const message of messages) await this.process(spec, message);
    })().catch((error) => this.logger.error({ err: error, durable: spec.durable }, 'consumer loop stopped'));
  }

  async onApplicationShutdown(): Promise<void> {
    // Stop pulling, let the message in hand finish (its ack included), then return.
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async process(spec: ConsumerSpec, message: JsMsg): Promise<void> {
    let event: EventEnvelope;
    try {
      event = message.json<EventEnvelope>();
    } catch (error) {
      this.logger.error({ err: error, subject: message.subject, seq: message.seq }, 'unreadable event; discarded');
      message.term();
      return;
    }
    const handler = spec.handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) {
      message.ack();
      return;
    }
    try {
      await runWithCorrelation(event.correlation_id, () =>
        this.deps.transactions.run(async (tx) => {
          const fresh: unknown[] = await tx.em.query(
            `INSERT INTO inbox (consumer, event_id, type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
            [spec.durable, event.id, event.type],
          );
          if (fresh.length === 0) return; // already applied
          await handler(tx, event);
        }),
      );
      message.ack();
    } catch (error) {
      const attempt = message.info.deliveryCount;
      const maxDeliver = spec.maxDeliver ?? 20;
      if (attempt >= maxDeliver) {
        this.logger.error({ err: error, event_id: event.id, type: event.type, attempt }, 'event failed on every delivery; parked (term)');
        message.term();
        return;
      }
      const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)];
      this.logger.warn({ err: error, event_id: event.id, type: event.type, attempt, retry_in_ms: delay }, 'event handler failed; will retry');
      message.nak(delay);
    }
  }
}
