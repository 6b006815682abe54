import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy, jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EventFilters, EVENTS_STREAM, EventTypes, type EventEnvelope } from '@app/contracts';
import { NATS_CONNECTION } from '@app/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/**
 * Users whose access tokens must stop working before they expire (deleted or
 * deactivated accounts). Every gateway replica reads identity's events itself (an
 * ordered, non-durable consumer), starting one token lifetime back, so a replica
 * that starts late still knows every ban whose tokens could still be alive.
 */
@Injectable()
export class DenyList implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DenyList.name);
  private readonly deniedSince = new Map<number, number>();
  private messages: ConsumerMessages | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** A token issued at or before the moment the account was closed is refused. */
  isDenied(userId: number, issuedAtSeconds: number): boolean {
    const since = this.deniedSince.get(userId);
    return since !== undefined && issuedAtSeconds * 1000 <= since;
  }

  deny(userId: number, at: number = Date.now()): void {
    this.deniedSince.set(userId, Math.max(at, this.deniedSince.get(userId) ?? 0));
  }

  allow(userId: number): void {
    this.deniedSince.delete(userId);
  }

  async onApplicationBootstrap(): Promise<void> {
    const lookBackMs = (this.config.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    const consumer = await jetstream(this.nc).consumers.get(EVENTS_STREAM, {
      filter_subjects: EventFilters.identityUser,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(Date.now() - lookBackMs).toISOString(),
    });
    this.messages = await consumer.consume();
    const messages = this.messages;
    void (async () => {
      for await (const message of messages) {
        try {
          this.apply(message.json<EventEnvelope>());
        } catch (error) {
          this.logger.error({ err: error, subject: message.subject }, 'unreadable identity event');
        }
      }
    })();
    this.pruneTimer = setInterval(() => this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.messages?.close().catch(() => undefined);
  }

  private apply(event: EventEnvelope): void {
    const at = Date.parse(event.occurred_at);
    if (event.type === EventTypes.identityUserDeleted || event.type === EventTypes.identityUserDeactivated) {
      this.deny(Number(event.aggregate_id), at);
    } else if (event.type === EventTypes.identityUserReactivated) {
      this.allow(Number(event.aggregate_id));
    }
  }

  private prune(): void {
    const horizon = Date.now() - (this.config.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    for (const [userId, since] of this.deniedSince) if (since < horizon) this.deniedSince.delete(userId);
  }
}

