import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EVENTS_STREAM, EVENTS_SUBJECT_PREFIX } from '@app/contracts';

export const nanos = (ms: number): number => ms * 1_000_000;

/** Deduplication window for `Nats-Msg-Id`: a relay re-publishing within it is a no-op. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url.split(','), name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}

/** Creates the EVENTS stream if it is missing (idempotent; every producer calls it at boot). */
export async function ensureEventsStream(nc: NatsConnection): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(EVENTS_STREAM);
  } catch {
    try {
      await jsm.streams.add({
        name: EVENTS_STREAM,
        subjects: [`${EVENTS_SUBJECT_PREFIX}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        max_age: nanos(30 * 24 * 3600 * 1000),
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      });
    } catch (error) {
      // Another replica created it between our info and add.
      await jsm.streams.info(EVENTS_STREAM).catch(() => {
        throw error;
      });
    }
  }
  return jsm;
}
