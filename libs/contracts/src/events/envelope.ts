import type { EventType } from '../subjects';
import type { EventDataMap } from './event-map';

/** Every domain event on JetStream has this envelope. */
export interface EventEnvelope<T extends EventType = EventType> {
  /** uuid; also the JetStream `Nats-Msg-Id` and the consumers' inbox key. */
  id: string;
  type: T;
  /** Schema version of `data`. */
  version: number;
  occurred_at: string;
  producer: string;
  aggregate_id: string;
  correlation_id?: string;
  data: EventDataMap[T];
}
