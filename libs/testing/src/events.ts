import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM } from '@app/contracts';
import { eventually } from './http';

/**
 * Waits until a durable consumer of the events stream has been given the
 * message at `streamSeq` (and all before it) and has acked everything it was
 * given: what it does with that message has happened, so "nothing more
 * changed" can be asserted without sleeping.
 */
export async function waitForConsumerAck(nc: NatsConnection, durable: string, streamSeq: number, timeoutMs?: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await eventually(async () => {
    const info = await jsm.consumers.info(EVENTS_STREAM, durable);
    return info.delivered.stream_seq >= streamSeq && info.num_ack_pending === 0;
  }, timeoutMs);
}
