import { randomUUID } from 'node:crypto';
import { EventTypes, eventSubject } from '@app/contracts';
import { Api, eventually, registerUser, startFleet, type TestFleet } from '@app/testing';
import { exchangesOf, list, waitForExchanges } from './matching-helpers';

jest.setTimeout(60000);

describe('Matching projection: stale events ignored, withdrawn items and departed users cancel proposals', () => {
  let fleet: TestFleet;
  let api: Api;

  beforeAll(async () => {
    fleet = await startFleet({ services: ['identity', 'listings', 'matching'] });
    api = new Api(fleet.baseUrl);
  });
  afterAll(() => fleet?.close());

  it('an item event older than (or as old as) the stored version changes nothing; a newer one does', async () => {
    const [alice, bob] = [await registerUser(api, { city: 'Алматы' }), await registerUser(api, { city: 'Алматы' })];
    const a = await list(api, alice, ['дрель'], ['велосипед']);
    await list(api, bob, ['велосипед'], ['дрель']);
    const [ex] = await waitForExchanges(api, alice, 1);

    // A replayed, out-of-date "archived" snapshot of Alice's offer at version 1 goes out through listings' outbox.
    const [snapshot] = await fleet.sql<{ snapshot: Record<string, unknown> }>(`SELECT snapshot FROM listings.item_history WHERE item_id = $1 AND version = 1`, [a.offers[0]]);
    const id = randomUUID();
    const envelope = {
      id,
      type: EventTypes.listingsItemArchived,
      version: 1,
      occurred_at: new Date().toISOString(),
      producer: 'listings',
      aggregate_id: String(a.offers[0]),
      data: { ...snapshot.snapshot, status: 'archived', reason: 'removed_by_owner', archived_at: new Date().toISOString() },
    };
    await fleet.sql(`INSERT INTO listings.outbox (id, type, subject, envelope) VALUES ($1, $2, $3, $4)`, [id, envelope.type, eventSubject(envelope.type), JSON.stringify(envelope)]);
    await eventually(async () => (await fleet.sql(`SELECT 1 FROM matching.inbox WHERE event_id = $1`, [id])).length === 1, 10000);
    expect((await exchangesOf(api, alice)).map((x) => x.exchange_id)).toEqual([ex.exchange_id]);
    const [item] = await fleet.sql<{ status: string; item_version: number }>(`SELECT status, item_version FROM matching.items WHERE item_id = $1`, [a.offers[0]]);
    expect(item).toEqual({ status: 'active', item_version: 1 });

    // The owner really removes it (version 2): the proposal is cancelled.
    const listingId = (await fleet.sql<{ listing_id: number }>(`SELECT listing_id FROM listings.items WHERE id = $1`, [a.offers[0]]))[0].listing_id;
    expect((await api.patch(`/listings/${listingId}`, { remove_items: [a.offers[0]] }, { token: alice.token })).status).toBe(200);
    await waitForExchanges(api, bob, 0);
    const [row] = await fleet.sql<{ status: string; cancel_reason: string }>(`SELECT status, cancel_reason FROM matching.exchanges WHERE id = $1`, [ex.exchange_id]);
    expect(row).toEqual({ status: 'cancelled', cancel_reason: 'item_unavailable' });
    const types = await fleet.sql<{ type: string }>(`SELECT type FROM matching.outbox WHERE envelope->>'aggregate_id' = $1 ORDER BY seq`, [ex.exchange_id]);
    expect(types.map((t) => t.type)).toEqual(['matching.match.found', 'matching.exchange.cancelled']);
  });

  it('a deleted account leaves matching: its proposals are cancelled', async () => {
    const [carol, dave] = [await registerUser(api, { city: 'Астана' }), await registerUser(api, { city: 'Астана' })];
    await list(api, carol, ['палатка'], ['гитара']);
    await list(api, dave, ['гитара'], ['палатка']);
    await waitForExchanges(api, dave, 1);
    expect((await api.delete('/user/account', { token: carol.token })).status).toBe(200);
    await waitForExchanges(api, dave, 0);
    const [user] = await fleet.sql<{ state: string }>(`SELECT state FROM matching.users WHERE user_id = $1`, [carol.id]);
    expect(user.state).toBe('deleted');
  });
});
