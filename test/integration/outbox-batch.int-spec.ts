import { EventTypes } from '@app/contracts';
import { TransactionRunner, type OutboxEvent } from '@app/messaging';
import { startFleet, type TestFleet } from '@app/testing';

describe('Outbox: tx.emitMany', () => {
  let fleet: TestFleet;
  let transactions: TransactionRunner;

  beforeAll(async () => {
    // The relay off: the rows stay as written.
    fleet = await startFleet({ services: ['listings'], env: { OUTBOX_RELAY_ENABLED: 'false' } });
    transactions = fleet.services.listings!.get(TransactionRunner);
  });
  afterAll(async () => {
    await fleet?.close();
  });

  const rows = (ids: string[]) =>
    fleet.sql<{ id: string; type: string; subject: string; envelope: { aggregate_id: string; producer: string; data: unknown } }>(
      `SELECT id, type, subject, envelope FROM listings.outbox WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [ids],
    );

  it('writes the events in the order given, payloads intact (quotes, backslashes, non-Latin text, nesting)', async () => {
    const awkward = ['Say "hi"', 'C:\\path\\to', 'Велосипед «Кама» ё', '{"not": "json"}', 'emoji 🚲', ''];
    const events = awkward.map((name, i) => ({ type: EventTypes.listingsItemCreated, aggregateId: 900 + i, data: { item_name: name, nested: { list: [i, null, 'x'] } } }) as unknown as OutboxEvent);
    const envelopes = await transactions.run((tx) => tx.emitMany(events));

    const stored = await rows(envelopes.map((e) => e.id));
    expect(stored.map((r) => r.id)).toEqual(envelopes.map((e) => e.id));
    expect(stored.map((r) => r.envelope.aggregate_id)).toEqual(awkward.map((_, i) => String(900 + i)));
    expect(stored.map((r) => r.envelope.data)).toEqual(events.map((e) => e.data));
    expect(new Set(stored.map((r) => r.subject))).toEqual(new Set(['events.listings.item.created']));
    expect(stored[0].envelope.producer).toBe('listings');
  });

  it('writes nothing for no events, and nothing at all when the transaction fails', async () => {
    expect(await transactions.run((tx) => tx.emitMany([]))).toEqual([]);
    let ids: string[] = [];
    await expect(
      transactions.run(async (tx) => {
        ids = (await tx.emitMany([{ type: EventTypes.listingsItemCreated, aggregateId: 1, data: {} } as unknown as OutboxEvent])).map((e) => e.id);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(ids).toHaveLength(1);
    expect(await rows(ids)).toEqual([]);
  });
});
