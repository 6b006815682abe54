import type { INestApplication } from '@nestjs/common';
import type { Proposal } from '@app/matching-engine';
import { TransactionRunner } from '@app/messaging';
import { startFleet, type TestFleet } from '@app/testing';
import { ProposalStore } from '../../apps/matching/src/exchanges/proposal-store';

/** A loop of `people` users (ids from `first`), each giving offer 100·u and wanting 100·u + 1. */
function loop(key: string, first: number, people: number, score = 0.8): Proposal {
  const users = Array.from({ length: people }, (_, i) => first + i);
  return {
    key,
    kind: people === 2 ? 'BILATERAL' : 'CHAIN',
    exchangeId: null,
    score,
    participants: users.map((u, i) => {
      const next = users[(i + 1) % people];
      return { userId: u, givesItemId: 100 * u, receivesItemId: 100 * next, wantItemId: 100 * u + 1 };
    }),
  };
}

/**
 * The store writes a whole change set in a fixed number of statements: these check that
 * the batch keeps every rule the one-by-one writes had, on the real matching schema.
 */
describe('ProposalStore: change sets written in one go', () => {
  let fleet: TestFleet;
  let matching: INestApplication;
  let store: ProposalStore;
  let transactions: TransactionRunner;

  beforeAll(async () => {
    // No periodic re-planning: the engine (empty here) must not write behind the test's back.
    fleet = await startFleet({ services: ['matching'], env: { MATCHING_IMPROVE_INTERVAL_MS: '0', OUTBOX_RELAY_ENABLED: 'false' } });
    matching = fleet.services.matching!;
    store = matching.get(ProposalStore);
    transactions = matching.get(TransactionRunner);
  });
  afterAll(async () => {
    await fleet?.close();
  });

  const apply = (created: Proposal[], cancelled: Proposal[] = [], reason: 'replanned' | 'item_unavailable' = 'replanned') =>
    transactions.run((tx) => store.apply(tx, { created, cancelled }, reason));
  const exchange = async (key: string) =>
    (await fleet.sql<{ id: string; seq: number; status: string; score: number; cancel_reason: string | null }>(`SELECT id, seq, status, score, cancel_reason FROM matching.exchanges WHERE key = $1`, [key]))[0];
  /** Outbox events after `afterSeq`, in publishing order. */
  const events = (afterSeq: number) =>
    fleet.sql<{ seq: string; type: string; aggregate: string }>(`SELECT seq, type, envelope->>'aggregate_id' AS aggregate FROM matching.outbox WHERE seq > $1 ORDER BY seq`, [afterSeq]);
  const lastSeq = async () => Number((await fleet.sql<{ max: string | null }>(`SELECT max(seq) AS max FROM matching.outbox`))[0].max ?? 0);
  const notified = async () => Number((await fleet.sql<{ value: string }>(`SELECT value FROM matching.counters WHERE name = 'participants_notified'`))[0]?.value ?? 0);

  it('creates each new loop with its seats, timeline and event, in the order given', async () => {
    const since = await lastSeq();
    const before = await notified();
    await apply([loop('k-pair', 1, 2), loop('k-chain', 10, 3, 0.6)]);

    const pair = await exchange('k-pair');
    const chain = await exchange('k-chain');
    expect(pair).toMatchObject({ id: `chain_${pair.seq}`, status: 'pending', score: 0.8 });
    expect(chain).toMatchObject({ id: `chain_${chain.seq}`, status: 'pending', score: 0.6 });
    expect(chain.seq).toBeGreaterThan(pair.seq);
    const seats = await fleet.sql(`SELECT position, user_id, gives_item_id, receives_item_id, want_item_id FROM matching.exchange_participants WHERE exchange_id = $1 ORDER BY position`, [chain.id]);
    expect(seats).toEqual([
      { position: 0, user_id: 10, gives_item_id: 1000, receives_item_id: 1100, want_item_id: 1001 },
      { position: 1, user_id: 11, gives_item_id: 1100, receives_item_id: 1200, want_item_id: 1101 },
      { position: 2, user_id: 12, gives_item_id: 1200, receives_item_id: 1000, want_item_id: 1201 },
    ]);
    const timeline = await fleet.sql(`SELECT exchange_id, event_type, details FROM matching.exchange_events WHERE exchange_id = ANY($1) ORDER BY id`, [[pair.id, chain.id]]);
    expect(timeline).toEqual([
      { exchange_id: pair.id, event_type: 'CREATED', details: 'Exchange created via matching' },
      { exchange_id: chain.id, event_type: 'CREATED', details: 'Exchange chain of 3 participants created via matching' },
    ]);
    expect(await notified()).toBe(before + 5);
    expect((await events(since)).map((e) => [e.type, e.aggregate])).toEqual([
      ['matching.match.found', pair.id],
      ['matching.chain.proposed', chain.id],
    ]);
  });

  it('cancels first, then revives a replanned loop, skips live and declined ones, and keeps the first of a duplicate key', async () => {
    await apply([loop('k-declined', 20, 2)]);
    const declined = await exchange('k-declined');
    await fleet.sql(`UPDATE matching.exchanges SET status = 'cancelled', cancel_reason = 'declined' WHERE id = $1`, [declined.id]);
    const pair = await exchange('k-pair');
    const chain = await exchange('k-chain');
    const since = await lastSeq();

    // k-pair: cancelled and proposed again in the same set (comes back, new score and seats);
    // k-chain: still live (untouched); k-declined: declined (stays cancelled); k-new twice.
    const revived = { ...loop('k-pair', 1, 2, 0.9), participants: loop('k-pair', 1, 2).participants.map((p) => ({ ...p, wantItemId: p.wantItemId + 50 })) };
    await apply([revived, loop('k-chain', 10, 3, 0.1), loop('k-declined', 20, 2), loop('k-new', 30, 2), loop('k-new', 40, 2)], [loop('k-pair', 1, 2)]);

    expect(await exchange('k-pair')).toMatchObject({ id: pair.id, seq: pair.seq, status: 'pending', score: 0.9, cancel_reason: null });
    expect((await fleet.sql<{ want_item_id: number }>(`SELECT want_item_id FROM matching.exchange_participants WHERE exchange_id = $1 ORDER BY position`, [pair.id])).map((r) => r.want_item_id)).toEqual([151, 251]);
    expect(await exchange('k-chain')).toMatchObject({ id: chain.id, status: 'pending', score: 0.6 });
    expect(await exchange('k-declined')).toMatchObject({ status: 'cancelled', cancel_reason: 'declined' });
    const fresh = await exchange('k-new');
    expect((await fleet.sql<{ user_id: number }>(`SELECT user_id FROM matching.exchange_participants WHERE exchange_id = $1 ORDER BY position`, [fresh.id])).map((r) => r.user_id)).toEqual([30, 31]);
    expect((await events(since)).map((e) => [e.type, e.aggregate])).toEqual([
      ['matching.exchange.cancelled', pair.id],
      ['matching.match.found', pair.id],
      ['matching.match.found', fresh.id],
    ]);
  });

  it('cancels several loops with the reason given, and leaves completed ones alone', async () => {
    await apply([loop('k-a', 50, 2), loop('k-b', 60, 3), loop('k-c', 80, 2), loop('k-done', 70, 2)]);
    await fleet.sql(`UPDATE matching.exchanges SET status = 'completed' WHERE key = 'k-done'`);
    const since = await lastSeq();
    await apply([], [loop('k-b', 60, 3), loop('k-done', 70, 2), loop('k-c', 80, 2), loop('k-a', 50, 2)], 'item_unavailable');

    const [a, b, c] = [await exchange('k-a'), await exchange('k-b'), await exchange('k-c')];
    for (const x of [a, b, c]) expect(x).toMatchObject({ status: 'cancelled', cancel_reason: 'item_unavailable' });
    expect(await exchange('k-done')).toMatchObject({ status: 'completed' });
    const cancelled = await fleet.sql<{ aggregate: string; user_ids: number[] }>(
      `SELECT envelope->>'aggregate_id' AS aggregate, ARRAY(SELECT jsonb_array_elements_text(envelope->'data'->'user_ids'))::int[] AS user_ids FROM matching.outbox WHERE seq > $1 ORDER BY seq`,
      [since],
    );
    // In the order asked for (not the table's), each with its participants.
    expect(cancelled).toEqual([
      { aggregate: b.id, user_ids: [60, 61, 62] },
      { aggregate: c.id, user_ids: [80, 81] },
      { aggregate: a.id, user_ids: [50, 51] },
    ]);
    const timeline = await fleet.sql(`SELECT details FROM matching.exchange_events WHERE exchange_id = $1 AND event_type = 'CANCELLED'`, [a.id]);
    expect(timeline).toEqual([{ details: 'An item of the exchange is no longer available' }]);
  });

  it('writes a change set in the same number of statements whatever its size', async () => {
    /** Statements (queries and event batches) one apply() sends for `size` creations and as many cancellations. */
    const statements = async (size: number, tag: string): Promise<number> => {
      const keys = Array.from({ length: size }, (_, i) => `k-${tag}-${i}`);
      await apply(keys.map((key, i) => loop(key, 1000 + 10 * i, 2)));
      let count = 0;
      await transactions.run((tx) => {
        const em = new Proxy(tx.em, {
          get: (target, prop, receiver) => (prop === 'query' ? (...args: unknown[]) => (count++, (target.query as (...a: unknown[]) => unknown)(...args)) : Reflect.get(target, prop, receiver)),
        });
        const counted = { em, emit: tx.emit, emitMany: (events: Parameters<typeof tx.emitMany>[0]) => (count++, tx.emitMany(events)) };
        const created = keys.map((key, i) => loop(`${key}-new`, 5000 + 10 * i, 3));
        return store.apply(counted, { created, cancelled: keys.map((key) => ({ key }) as Proposal) }, 'replanned');
      });
      return count;
    };
    const few = await statements(2, 'few');
    expect(await statements(40, 'many')).toBe(few);
  });

  it('writes nothing for an empty change set', async () => {
    const since = await lastSeq();
    await apply([], []);
    expect(await events(since)).toEqual([]);
  });
});
